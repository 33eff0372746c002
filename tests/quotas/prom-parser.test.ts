import { describe, expect, it } from "vitest";
import { Counter, Gauge, Registry } from "prom-client";
import { exposition } from "@/lib/metrics/registry";
import { parsePrometheusText, sampleValue } from "../support/prom-parser";

/** The test parser must be strict, or a test that uses it proves nothing. */
describe("tests/support/prom-parser", () => {
  it("reads a well-formed document: HELP, TYPE, labels with escapes, floats, timestamps, untyped samples", () => {
    const text = [
      "# HELP http_requests_total The total number of HTTP requests.\\nSecond line \\\\ done",
      "# TYPE http_requests_total counter",
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400",} 3 1395066363000',
      "# A free comment",
      "",
      "# TYPE latency histogram",
      'latency_bucket{le="0.05"} 24054',
      'latency_bucket{le="+Inf"} 144320',
      "latency_sum 53423",
      "latency_count 144320",
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      "metric_without_timestamp_and_labels 12.47",
      "something_weird{problem=\"division by zero\"} +Inf -3982045",
      "nan_value NaN",
    ].join("\n") + "\n";
    const f = parsePrometheusText(text);
    expect(f.get("http_requests_total")).toMatchObject({ type: "counter", help: "The total number of HTTP requests.\nSecond line \\ done" });
    expect(sampleValue(f, "http_requests_total", { code: "400" })).toBe(3);
    expect(sampleValue(f, "latency_bucket", { le: "+Inf" })).toBe(144320);
    expect(f.get("msdos_file_access_time_seconds")!.samples[0]!.labels).toEqual({ path: "C:\\DIR\\FILE.TXT", error: 'Cannot find file:\n"FILE.TXT"' });
    expect(sampleValue(f, "something_weird")).toBe(Infinity);
    expect(sampleValue(f, "nan_value")).toBeNaN();
    expect(f.get("metric_without_timestamp_and_labels")!.type).toBe("untyped");
  });

  it.each([
    ["no final line feed", "a 1"],
    ["bad metric name", "1abc 1\n"],
    ["bad name in TYPE", "# TYPE 1abc gauge\n"],
    ["unknown type", "# TYPE a numbers\n"],
    ["second TYPE", "# TYPE a gauge\n# TYPE a gauge\n"],
    ["TYPE after samples", "a 1\n# TYPE a gauge\n"],
    ["second HELP", "# HELP a x\n# HELP a y\n"],
    ["bad escape in HELP", "# HELP a x\\y\n"],
    ["unquoted label value", "a{b=c} 1\n"],
    ["unescaped quote in a label value", 'a{b="x"y"} 1\n'],
    ["bad escape in a label value", 'a{b="x\\t"} 1\n'],
    ["unterminated label value", 'a{b="x} 1\n'],
    ["reserved label name", 'a{__name__="x"} 1\n'],
    ["duplicate label", 'a{b="1",b="2"} 1\n'],
    ["missing value", "a\n"],
    ["value that is not a float", "a one\n"],
    ["hex value", "a 0x10\n"],
    ["bad timestamp", "a 1 1.5\n"],
    ["trailing junk", "a 1 2 3\n"],
    ["duplicate series", 'a{b="1"} 1\na{b="1"} 2\n'],
    ["non-contiguous family", "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"y\"} 2\n"],
    ["carriage return", "a 1\r\n"],
  ])("rejects %s", (_why, text) => {
    expect(() => parsePrometheusText(text)).toThrow(/line \d+/);
  });

  it("accepts what the app's writer (prom-client, through exposition()) produces, escapes and NaN included", async () => {
    const registry = new Registry();
    const x = new Counter({ name: "x_total", help: 'Help with \\ and\nnewline and "quotes"', labelNames: ["server"], registers: [registry] });
    x.inc({ server: 'Edge "1" \\ back\nslash' }, 42);
    x.inc({ server: "b" }, 0.5);
    new Gauge({ name: "y", help: "y", registers: [registry] }).set(NaN);
    new Gauge({ name: "z", help: "no samples yet", labelNames: ["a"], registers: [registry] });
    const text = await exposition(registry);
    expect(text).toMatch(/^y NaN$/m); // prom-client alone writes "Nan"
    const f = parsePrometheusText(text);
    expect(f.get("x_total")!.help).toBe('Help with \\ and\nnewline and "quotes"');
    expect(sampleValue(f, "x_total", { server: 'Edge "1" \\ back\nslash' })).toBe(42);
    expect(sampleValue(f, "y")).toBeNaN();
    expect(f.get("z")).toMatchObject({ type: "gauge", samples: [] });
  });
});
