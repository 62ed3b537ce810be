// Read exported DMN with dmn-moddle and evaluate its FEEL with feelin: engines the library
// did not write. Input (stdin, JSON): {"tables": [{"file": PATH, "domains": [[value, ...], ...]}]},
// one domain per input column, given by the library. Output (stdout, JSON), per table: the
// moddle warnings, the decision table as read (hit policy, aggregation, per output its name,
// output values and default entry evaluated by feelin, per rule its first annotation and its
// output entries evaluated by feelin), and for every point of the product of the domains
// (first column varying slowest) the indices of the rules whose input entries all match.
import { readFileSync } from 'node:fs';
import { DmnModdle } from 'dmn-moddle';
import { evaluate, unaryTest } from 'feelin';

function feel(text, context = {}) {
  const { value, warnings } = evaluate(text, context);
  if (warnings.length) throw new Error(`FEEL ${JSON.stringify(text)}: ${warnings[0].message}`);
  return value;
}

function matches(text, value) {
  const { value: result, warnings } = unaryTest(text, { '?': value });
  if (warnings.length) throw new Error(`unary test ${JSON.stringify(text)}: ${warnings[0].message}`);
  if (result !== true && result !== false) throw new Error(`unary test ${text} gave ${result}`);
  return result;
}

async function check(job, moddle) {
  const xml = readFileSync(job.file, 'utf8');
  const { rootElement, warnings } = await moddle.fromXML(xml, 'dmn:Definitions');
  const decisions = rootElement.drgElement.filter((element) => element.$type === 'dmn:Decision');
  if (decisions.length !== 1) throw new Error(`${job.file}: expected one decision`);
  const table = decisions[0].decisionLogic;
  const rules = table.rule.map((rule) => ({
    row: rule.annotationEntry[0].text,
    outputs: rule.outputEntry.map((entry) => feel(entry.text)),
  }));
  const outputs = table.output.map((clause) => ({
    name: clause.name,
    values: clause.outputValues ? feel(`[${clause.outputValues.text}]`) : null,
    default: clause.defaultOutputEntry ? feel(clause.defaultOutputEntry.text) : null,
    hasDefault: Boolean(clause.defaultOutputEntry),
  }));
  // Whether rule r's entry for column c matches the v-th value of the column's domain.
  const accepts = table.rule.map((rule) =>
    job.domains.map((domain, c) => domain.map((value) => matches(rule.inputEntry[c].text, value))),
  );
  const points = [];
  const sizes = job.domains.map((domain) => domain.length);
  const position = sizes.map(() => 0);
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n += 1) {
    const matched = [];
    for (let r = 0; r < accepts.length; r += 1) {
      if (position.every((v, c) => accepts[r][c][v])) matched.push(r);
    }
    points.push(matched);
    for (let c = sizes.length - 1; c >= 0; c -= 1) {
      position[c] += 1;
      if (position[c] < sizes[c]) break;
      position[c] = 0;
    }
  }
  return {
    file: job.file,
    warnings: warnings.map((warning) => warning.message),
    hitPolicy: table.hitPolicy,
    aggregation: table.aggregation || null,
    inputs: table.input.map((clause) => clause.inputExpression.text),
    outputs,
    rules,
    points,
  };
}

const jobs = JSON.parse(readFileSync(0, 'utf8'));
const moddle = new DmnModdle();
const results = [];
for (const job of jobs.tables) results.push(await check(job, moddle));
process.stdout.write(JSON.stringify({ tables: results }));
