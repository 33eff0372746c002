/**
 * A small, strict parser of the Prometheus text exposition format 0.0.4, for
 * tests (no dependency). Every line must match the grammar — `# HELP name
 * text`, `# TYPE name type`, other `#` comments, blank lines, or a sample
 * `name{label="value",…} value [timestamp]` — and the document must be
 * consistent: one HELP and one TYPE per family, TYPE before the family's
 * samples, each family's samples contiguous, no duplicate series, a final
 * line feed. Any violation throws, naming the line.
 */
export type PromType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface PromFamily {
  name: string;
  help?: string;
  type: PromType;
  samples: PromSample[];
}

export class PromParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: readonly PromType[] = ["counter", "gauge", "histogram", "summary", "untyped"];
// Go's strconv.ParseFloat as Prometheus uses it: decimal or exponent forms, NaN and signed Inf.
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)$/;
const TIMESTAMP = /^-?\d+$/;

function parseFloatStrict(text: string, line: number): number {
  if (!FLOAT.test(text)) throw new PromParseError(line, `invalid value "${text}"`);
  if (/^[+-]?inf$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/nan/i.test(text)) return NaN;
  return Number(text);
}

/** HELP text: `\\` and `\n` are the only escapes; a lone backslash before anything else is an error. */
function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    throw new PromParseError(line, `invalid escape in HELP: \\${c}`);
  });
}

/** Reads `{a="x",b="y"}` from `s` at `i` (the `{`); returns the labels and the index after `}`. */
function readLabels(s: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    if (s[i] === "}") return { labels, end: i + 1 };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!nameMatch) throw new PromParseError(line, `invalid label name at column ${i + 1}`);
    const name = nameMatch[0];
    if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new PromParseError(line, `reserved or invalid label name "${name}"`);
    if (name in labels) throw new PromParseError(line, `duplicate label "${name}"`);
    i += name.length;
    if (s[i] !== "=" || s[i + 1] !== '"') throw new PromParseError(line, `expected ="…" after label "${name}"`);
    i += 2;
    let value = "";
    for (;;) {
      const c = s[i];
      if (c === undefined) throw new PromParseError(line, `unterminated value of label "${name}"`);
      if (c === '"') break;
      if (c === "\n") throw new PromParseError(line, "raw line feed in a label value");
      if (c === "\\") {
        const e = s[i + 1];
        if (e === "\\") value += "\\";
        else if (e === '"') value += '"';
        else if (e === "n") value += "\n";
        else throw new PromParseError(line, `invalid escape \\${e ?? ""} in label "${name}"`);
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[name] = value;
    i++; // closing quote
    if (s[i] === ",") {
      i++;
      continue;
    }
    if (s[i] !== "}") throw new PromParseError(line, `expected , or } after label "${name}"`);
  }
}

/** The family a sample name belongs to (histogram and summary samples carry suffixes). */
function familyOf(sample: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!sample.endsWith(suffix)) continue;
    const f = families.get(sample.slice(0, -suffix.length));
    if (f && (f.type === "histogram" || (f.type === "summary" && suffix !== "_bucket"))) return f;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith("\n")) throw new PromParseError(text.split("\n").length, "the last line must end with a line feed");
  const families = new Map<string, PromFamily>();
  const helps = new Map<string, string>();
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | null = null;
  const lines = text.split("\n");
  lines.pop(); // after the final line feed

  lines.forEach((raw, idx) => {
    const n = idx + 1;
    if (raw.includes("\r")) throw new PromParseError(n, "carriage return");
    if (/^[ \t]*$/.test(raw)) return;
    if (raw.startsWith("#")) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(raw);
      if (!m) return; // any other comment
      const [, kind, name, rest = ""] = m;
      if (!METRIC_NAME.test(name!)) throw new PromParseError(n, `invalid metric name "${name}"`);
      if (kind === "HELP") {
        if (helps.has(name!)) throw new PromParseError(n, `second HELP for ${name}`);
        helps.set(name!, unescapeHelp(rest, n));
        const f = families.get(name!);
        if (f) f.help = helps.get(name!);
        return;
      }
      if (!TYPES.includes(rest.trim() as PromType)) throw new PromParseError(n, `invalid type "${rest}"`);
      if (families.has(name!)) throw new PromParseError(n, `second TYPE for ${name}, or TYPE after its samples`);
      if (current && current !== name) finished.add(current);
      families.set(name!, { name: name!, help: helps.get(name!), type: rest.trim() as PromType, samples: [] });
      current = name!;
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(raw);
    if (!m) throw new PromParseError(n, "not a comment or a sample");
    const name = m[1]!;
    let i = name.length;
    let labels: Record<string, string> = {};
    if (raw[i] === "{") ({ labels, end: i } = readLabels(raw, i, n));
    const rest = raw.slice(i);
    const parts = /^[ \t]+(\S+)(?:[ \t]+(\S+))?[ \t]*$/.exec(rest);
    if (!parts) throw new PromParseError(n, "expected a value after the metric name and labels");
    const value = parseFloatStrict(parts[1]!, n);
    if (parts[2] !== undefined && !TIMESTAMP.test(parts[2])) throw new PromParseError(n, `invalid timestamp "${parts[2]}"`);

    let family = familyOf(name, families);
    if (!family) {
      // A sample without TYPE is untyped, and is its own family.
      if (families.has(name)) throw new PromParseError(n, `samples of ${name} are not contiguous`);
      family = { name, help: helps.get(name), type: "untyped", samples: [] };
      families.set(name, family);
    }
    if (finished.has(family.name)) throw new PromParseError(n, `samples of ${family.name} are not contiguous`);
    if (current && current !== family.name) finished.add(current);
    current = family.name;
    const key = `${name}{${Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",")}}`;
    if (series.has(key)) throw new PromParseError(n, `duplicate series ${key}`);
    series.add(key);
    family.samples.push({ name, labels, value, ...(parts[2] !== undefined ? { timestamp: Number(parts[2]) } : {}) });
  });
  for (const name of helps.keys()) if (!families.has(name)) families.set(name, { name, help: helps.get(name), type: "untyped", samples: [] });
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`; throws when there is not exactly one. */
export function sampleValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(name, families);
  const found = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]!.value;
}
