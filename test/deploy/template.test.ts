import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseDocument, type CollectionTag, type ScalarTag, type Tags } from "yaml";

/**
 * Static checks of deploy/template.yaml. There is no AWS account here, so instead of deploying, the
 * template is parsed with CloudFormation's short-form tags and (1) its references are resolved
 * against its own parameters/resources/conditions and (2) the parts that carry logic (the pipeline
 * ARN slots, conditions) are evaluated by a small CloudFormation evaluator for given parameters.
 */

const templatePath = fileURLToPath(new URL("../../deploy/template.yaml", import.meta.url));

// ---- YAML with CloudFormation tags --------------------------------------------------------------

/** Short-form tag -> long-form key, e.g. `!GetAtt A.B` -> `{ "Fn::GetAtt": ["A", "B"] }`. */
const SHORT_FORMS: Record<string, string> = {
  Ref: "Ref",
  GetAtt: "Fn::GetAtt",
  Sub: "Fn::Sub",
  Join: "Fn::Join",
  Split: "Fn::Split",
  Select: "Fn::Select",
  If: "Fn::If",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  Condition: "Condition",
  FindInMap: "Fn::FindInMap",
  GetAZs: "Fn::GetAZs",
  ImportValue: "Fn::ImportValue",
  Base64: "Fn::Base64",
  Cidr: "Fn::Cidr",
};

function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const [short, long] of Object.entries(SHORT_FORMS)) {
    const tag = `!${short}`;
    const scalar: ScalarTag = {
      tag,
      // `!GetAtt Res.Attr.Sub` -> ["Res", "Attr.Sub"]: logical IDs have no dots, attribute names may.
      resolve: (value) => ({ [long]: short === "GetAtt" ? splitGetAtt(value) : value }),
    };
    tags.push(scalar);
    for (const collection of ["seq", "map"] as const) {
      const node: CollectionTag = {
        tag,
        collection,
        resolve: (value) => ({ [long]: value.toJSON() }),
      };
      tags.push(node);
    }
  }
  return tags;
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf(".");
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function parseCloudFormationYaml(source: string): unknown {
  const doc = parseDocument(source, { customTags: cloudFormationTags() });
  // An unknown tag is only a warning in `yaml`: treat both as failures.
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (problems.length > 0) throw new Error(`YAML problems:\n${problems.join("\n")}`);
  return doc.toJS();
}

// ---- small helpers -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function str(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`${what} is not a string`);
  return value;
}

/** Every object node in a tree, with a readable path. */
function* objectsIn(node: unknown, path: string): Generator<[Obj, string]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* objectsIn(item, `${path}[${i}]`);
  } else if (isObj(node)) {
    yield [node, path];
    for (const [key, value] of Object.entries(node)) yield* objectsIn(value, `${path}.${key}`);
  }
}

const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

interface Template {
  Parameters: Obj;
  Conditions: Obj;
  Mappings: Obj;
  Resources: Obj;
  Outputs: Obj;
  [section: string]: unknown;
}

function asTemplate(value: unknown): Template {
  const t = obj(value, "template");
  return {
    ...t,
    Parameters: isObj(t.Parameters) ? t.Parameters : {},
    Conditions: isObj(t.Conditions) ? t.Conditions : {},
    Mappings: isObj(t.Mappings) ? t.Mappings : {},
    Resources: obj(t.Resources, "Resources"),
    Outputs: isObj(t.Outputs) ? t.Outputs : {},
  };
}

function resource(template: Template, logicalId: string): Obj {
  return obj(template.Resources[logicalId], `resource ${logicalId}`);
}

function properties(template: Template, logicalId: string): Obj {
  return obj(resource(template, logicalId).Properties, `${logicalId}.Properties`);
}

// ---- reference checking --------------------------------------------------------------------------

/** `${X}` names in an Fn::Sub string; `${!X}` is a literal and not a reference. */
function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)]
    .map((m) => (m[1] ?? "").trim())
    .filter((name) => !name.startsWith("!"));
}

/**
 * Every Ref, Fn::GetAtt, Fn::Sub variable, condition name, mapping name and DependsOn that does not
 * resolve, as readable strings. An empty list means the template is internally consistent.
 */
function unresolvedReferences(template: Template): string[] {
  const parameters = new Set(Object.keys(template.Parameters));
  const resources = new Set(Object.keys(template.Resources));
  const conditions = new Set(Object.keys(template.Conditions));
  const mappings = new Set(Object.keys(template.Mappings));
  const problems: string[] = [];

  const refOk = (name: string) =>
    parameters.has(name) || resources.has(name) || PSEUDO_PARAMETERS.has(name);
  const checkCondition = (name: unknown, path: string) => {
    if (typeof name !== "string" || !conditions.has(name))
      problems.push(`${path}: unknown condition ${JSON.stringify(name)}`);
  };

  // Resource- and output-level Condition / DependsOn attributes.
  for (const [id, value] of Object.entries(template.Resources)) {
    const r = obj(value, `resource ${id}`);
    if (r.Condition !== undefined) checkCondition(r.Condition, `Resources.${id}.Condition`);
    for (const dep of list(r.DependsOn)) {
      if (typeof dep !== "string" || !resources.has(dep))
        problems.push(`Resources.${id}.DependsOn: unknown resource ${JSON.stringify(dep)}`);
    }
  }
  for (const [id, value] of Object.entries(template.Outputs)) {
    const o = obj(value, `output ${id}`);
    if (o.Condition !== undefined) checkCondition(o.Condition, `Outputs.${id}.Condition`);
  }

  for (const section of ["Conditions", "Resources", "Outputs"] as const) {
    for (const [node, path] of objectsIn(template[section], section)) {
      const keys = Object.keys(node);
      if (keys.length !== 1) continue; // intrinsic functions are single-key mappings
      const [fn] = keys;
      const arg = node[fn ?? ""];
      switch (fn) {
        case "Ref":
          if (typeof arg !== "string" || !refOk(arg))
            problems.push(`${path}: Ref to unknown ${JSON.stringify(arg)}`);
          break;
        case "Fn::GetAtt": {
          const target: unknown = typeof arg === "string" ? splitGetAtt(arg)[0] : list(arg)[0];
          if (typeof target !== "string" || !resources.has(target))
            problems.push(`${path}: Fn::GetAtt on unknown resource ${JSON.stringify(target)}`);
          break;
        }
        case "Fn::Sub": {
          const [text, vars] = typeof arg === "string" ? [arg, {}] : list(arg);
          if (typeof text !== "string") {
            problems.push(`${path}: Fn::Sub without a literal string`);
            break;
          }
          const locals = new Set(isObj(vars) ? Object.keys(vars) : []);
          for (const name of subVariables(text)) {
            const [head = ""] = name.split(".");
            const ok =
              locals.has(name) ||
              refOk(name) ||
              (name.includes(".") && !name.startsWith("AWS::") && resources.has(head));
            if (!ok) problems.push(`${path}: Fn::Sub variable \${${name}} resolves to nothing`);
          }
          break;
        }
        case "Fn::If":
          checkCondition(list(arg)[0], path);
          break;
        case "Condition":
          checkCondition(arg, path);
          break;
        case "Fn::FindInMap": {
          const map = list(arg)[0];
          if (typeof map !== "string" || !mappings.has(map))
            problems.push(`${path}: Fn::FindInMap on unknown mapping ${JSON.stringify(map)}`);
          break;
        }
      }
    }
  }
  return problems;
}

// ---- IAM statements ------------------------------------------------------------------------------

interface FoundStatement {
  path: string;
  statement: Obj;
}

/** Every statement of every policy document (identity, resource and trust policies). */
function policyStatements(node: unknown, path: string): FoundStatement[] {
  const found: FoundStatement[] = [];
  for (const [o, p] of objectsIn(node, path)) {
    if (o.Statement === undefined) continue;
    for (const [i, s] of list(o.Statement).entries())
      found.push({ path: `${p}.Statement[${i}]`, statement: obj(s, `${p}.Statement[${i}]`) });
  }
  return found;
}

function actionsOf(statement: Obj): string[] {
  return [...list(statement.Action), ...list(statement.NotAction)].map((a) =>
    typeof a === "string" ? a : JSON.stringify(a),
  );
}

// ---- a small CloudFormation evaluator ------------------------------------------------------------

const NO_VALUE = Symbol("AWS::NoValue");

interface Stack {
  template: Template;
  parameters: Record<string, string | string[]>;
  pseudo: Record<string, string>;
}

/** Parameter values as CloudFormation would accept them: defaults, required, patterns, values. */
function resolveParameters(
  template: Template,
  given: Record<string, string>,
): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(template.Parameters)) {
    const p = obj(value, `parameter ${name}`);
    const raw = given[name] ?? (p.Default === undefined ? undefined : String(p.Default));
    if (raw === undefined) throw new Error(`parameter ${name} is required`);
    const isList = p.Type === "CommaDelimitedList";
    const items = isList ? raw.split(",") : [raw];
    if (typeof p.AllowedPattern === "string") {
      const pattern = new RegExp(`^(?:${p.AllowedPattern})$`);
      for (const item of items)
        if (!pattern.test(item))
          throw new Error(`parameter ${name}: ${JSON.stringify(item)} fails AllowedPattern`);
    }
    if (Array.isArray(p.AllowedValues) && !p.AllowedValues.map(String).includes(raw))
      throw new Error(`parameter ${name}: ${JSON.stringify(raw)} not in AllowedValues`);
    values[name] = isList ? items : raw;
  }
  for (const name of Object.keys(given))
    if (!(name in values)) throw new Error(`unknown parameter ${name}`);
  return values;
}

function stackFor(template: Template, given: Record<string, string>): Stack {
  return {
    template,
    parameters: resolveParameters(template, given),
    pseudo: {
      "AWS::AccountId": "123456789012",
      "AWS::Partition": "aws",
      "AWS::Region": "eu-west-1",
      "AWS::StackName": "codepipeline-approvals",
      "AWS::URLSuffix": "amazonaws.com",
    },
  };
}

function condition(stack: Stack, name: string): boolean {
  const value = evaluate(stack, stack.template.Conditions[name]);
  if (typeof value !== "boolean") throw new Error(`condition ${name} is not a boolean`);
  return value;
}

function evaluateString(stack: Stack, node: unknown, what: string): string {
  return str(evaluate(stack, node), what);
}

/**
 * Evaluates intrinsic functions the way CloudFormation does, strictly: a Join/Split delimiter must
 * be a literal string, Fn::Select out of range is an error (in both branches of an Fn::If, because
 * CloudFormation validates those too), AWS::NoValue drops the list item or key. Resource references
 * become placeholders: `{{Logical}}` for Ref, `{{Logical.Attr}}` for Fn::GetAtt.
 */
function evaluate(stack: Stack, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => evaluate(stack, n)).filter((v) => v !== NO_VALUE);
  if (!isObj(node)) return node;
  const keys = Object.keys(node);
  const [fn = ""] = keys;
  const arg = node[fn];
  if (keys.length === 1 && (fn === "Ref" || fn === "Condition" || fn.startsWith("Fn::"))) {
    const args = list(arg);
    switch (fn) {
      case "Ref": {
        const name = str(arg, "Ref");
        if (name === "AWS::NoValue") return NO_VALUE;
        const value = stack.parameters[name] ?? stack.pseudo[name];
        if (value !== undefined) return value;
        if (name in stack.template.Resources) return `{{${name}}}`;
        throw new Error(`Ref to unknown ${name}`);
      }
      case "Fn::GetAtt": {
        const [target, attribute] = typeof arg === "string" ? splitGetAtt(arg) : args;
        return `{{${str(target, "GetAtt resource")}.${str(attribute, "GetAtt attribute")}}}`;
      }
      case "Fn::Sub": {
        const [text, vars] = typeof arg === "string" ? [arg, {}] : args;
        const locals = isObj(vars) ? vars : {};
        return str(text, "Fn::Sub string").replace(/\$\{([^}]*)\}/g, (_, raw: string) => {
          const name = raw.trim();
          if (name.startsWith("!")) return `\${${name.slice(1)}}`;
          if (name in locals) return evaluateString(stack, locals[name], `\${${name}}`);
          if (name.includes(".") && !name.startsWith("AWS::")) return `{{${name}}}`;
          return evaluateString(stack, { Ref: name }, `\${${name}}`);
        });
      }
      case "Fn::Join": {
        const [delimiter, items] = args;
        if (typeof delimiter !== "string") throw new Error("Fn::Join delimiter must be a literal");
        const values = evaluate(stack, items);
        if (!Array.isArray(values)) throw new Error("Fn::Join needs a list");
        return values.map((v) => str(v, "Fn::Join item")).join(delimiter);
      }
      case "Fn::Split": {
        const [delimiter, text] = args;
        if (typeof delimiter !== "string") throw new Error("Fn::Split delimiter must be a literal");
        return evaluateString(stack, text, "Fn::Split source").split(delimiter);
      }
      case "Fn::Select": {
        const [index, items] = args;
        const values = evaluate(stack, items);
        const i = Number(evaluate(stack, index));
        if (!Array.isArray(values) || !Number.isInteger(i) || i < 0 || i >= values.length)
          throw new Error(`Fn::Select cannot select nonexistent value at index ${String(i)}`);
        return values[i];
      }
      case "Fn::If": {
        const [name, whenTrue, whenFalse] = args;
        const chosen = condition(stack, str(name, "Fn::If condition"));
        const yes = evaluate(stack, whenTrue);
        const no = evaluate(stack, whenFalse);
        return chosen ? yes : no;
      }
      case "Fn::Equals": {
        const [a, b] = args.map((x) => evaluate(stack, x));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case "Fn::Not":
        return !evaluateBoolean(stack, args[0]);
      case "Fn::And":
        return args.every((x) => evaluateBoolean(stack, x));
      case "Fn::Or":
        return args.some((x) => evaluateBoolean(stack, x));
      case "Condition":
        return condition(stack, str(arg, "Condition"));
      default:
        throw new Error(`evaluator does not support ${fn}`);
    }
  }
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    const v = evaluate(stack, value);
    if (v !== NO_VALUE) out[key] = v;
  }
  return out;
}

function evaluateBoolean(stack: Stack, node: unknown): boolean {
  const value = evaluate(stack, node);
  if (typeof value !== "boolean") throw new Error("condition function needs a boolean");
  return value;
}

/** The resources CloudFormation would create for these parameters, with properties evaluated. */
function createdResources(stack: Stack): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  for (const [id, value] of Object.entries(stack.template.Resources)) {
    const r = obj(value, id);
    if (typeof r.Condition === "string" && !condition(stack, r.Condition)) continue;
    out[id] = obj(evaluate(stack, r), id);
  }
  return out;
}

// ---- EventBridge matching (exact-value patterns, which is all the rule uses) ---------------------

function eventMatches(pattern: unknown, event: unknown): boolean {
  if (!isObj(pattern) || !isObj(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected))
      return list(actual).some((a) => expected.some((e) => !isObj(e) && e === a));
    return isObj(expected) && eventMatches(expected, actual);
  });
}

// ---- the template under test ---------------------------------------------------------------------

const template = asTemplate(parseCloudFormationYaml(readFileSync(templatePath, "utf8")));

const PIPELINE_ACTIONS = [
  "codepipeline:GetPipeline",
  "codepipeline:GetPipelineExecution",
  "codepipeline:GetPipelineState",
  "codepipeline:ListActionExecutions",
  "codepipeline:PutApprovalResult",
];
const QUEUE_ACTIONS = [
  "sqs:ChangeMessageVisibility",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ReceiveMessage",
  // Reminders are delayed messages the bridge sends to its own queue (src/reminders).
  "sqs:SendMessage",
];

function bridgeStatements(stack: Stack): Obj[] {
  const policy = createdResources(stack).BridgePolicy;
  const doc = obj(obj(policy?.Properties, "BridgePolicy.Properties").PolicyDocument, "document");
  return list(doc.Statement).map((s) => obj(s, "statement"));
}

function statementGranting(statements: Obj[], action: string): Obj {
  const matching = statements.filter((s) => actionsOf(s).includes(action));
  expect(matching, `statements granting ${action}`).toHaveLength(1);
  return matching[0] ?? {};
}

const arn = (name: string) => `arn:aws:codepipeline:eu-west-1:123456789012:${name}`;

describe("CloudFormation short-form tags", () => {
  it("maps every short-form tag, in scalar, sequence and mapping form, to its long form", () => {
    const parsed = parseCloudFormationYaml(
      [
        "a: !Ref Param",
        "b: !GetAtt Res.Attr.Nested",
        "c: !GetAtt [Res, Attr]",
        "d: !Sub 'x-${AWS::Region}'",
        "e: !Sub ['${V}', {V: !Ref Param}]",
        "f: !Join ['', [a, !Select [0, !Split [',', 'p,q']]]]",
        "g: !If [Cond, !Condition Other, !Ref AWS::NoValue]",
        "h: !And [!Equals [a, b], !Or [!Not [!Condition X], !Condition Y]]",
        "i: !FindInMap [Map, Key, Value]",
        // Two tags on one node (`!Base64 !Sub ...`) is invalid YAML; the map form is the usual fix.
        "j: !Base64 { Fn::Sub: 'echo ${AWS::StackName}' }",
        "k: !Cidr [!Select [0, !GetAZs ''], 6, 5]",
        "l: !ImportValue Exported",
      ].join("\n"),
    );
    expect(parsed).toEqual({
      a: { Ref: "Param" },
      b: { "Fn::GetAtt": ["Res", "Attr.Nested"] },
      c: { "Fn::GetAtt": ["Res", "Attr"] },
      d: { "Fn::Sub": "x-${AWS::Region}" },
      e: { "Fn::Sub": ["${V}", { V: { Ref: "Param" } }] },
      f: { "Fn::Join": ["", ["a", { "Fn::Select": [0, { "Fn::Split": [",", "p,q"] }] }]] },
      g: { "Fn::If": ["Cond", { Condition: "Other" }, { Ref: "AWS::NoValue" }] },
      h: {
        "Fn::And": [
          { "Fn::Equals": ["a", "b"] },
          { "Fn::Or": [{ "Fn::Not": [{ Condition: "X" }] }, { Condition: "Y" }] },
        ],
      },
      i: { "Fn::FindInMap": ["Map", "Key", "Value"] },
      j: { "Fn::Base64": { "Fn::Sub": "echo ${AWS::StackName}" } },
      k: { "Fn::Cidr": [{ "Fn::Select": [0, { "Fn::GetAZs": "" }] }, 6, 5] },
      l: { "Fn::ImportValue": "Exported" },
    });
  });

  it("rejects a tag CloudFormation does not know instead of silently keeping a string", () => {
    expect(() => parseCloudFormationYaml("a: !Reff Param")).toThrow(/Unresolved tag/);
  });
});

describe("deploy/template.yaml references", () => {
  it("flags broken references (self-test of the checker)", () => {
    const broken = asTemplate({
      Parameters: { P: { Type: "String" } },
      Conditions: { C: { "Fn::Equals": [{ Ref: "Missing" }, "x"] } },
      Resources: {
        R: { Type: "AWS::SNS::Topic", Condition: "NoSuchCondition", DependsOn: ["Ghost"] },
        S: {
          Type: "AWS::SQS::Queue",
          Properties: {
            A: { "Fn::GetAtt": ["Nope", "Arn"] },
            B: { "Fn::Sub": ["${P}-${Local}-${R.Arn}-${Undefined}-${!Literal}", { Local: "x" }] },
            C: { "Fn::If": ["Unknown", 1, 2] },
          },
        },
      },
    });
    expect(unresolvedReferences(broken)).toEqual([
      'Resources.R.Condition: unknown condition "NoSuchCondition"',
      'Resources.R.DependsOn: unknown resource "Ghost"',
      'Conditions.C.Fn::Equals[0]: Ref to unknown "Missing"',
      'Resources.S.Properties.A: Fn::GetAtt on unknown resource "Nope"',
      "Resources.S.Properties.B: Fn::Sub variable ${Undefined} resolves to nothing",
      'Resources.S.Properties.C: unknown condition "Unknown"',
    ]);
  });

  it("resolves every Ref, GetAtt, Sub variable, condition and mapping it uses", () => {
    expect(unresolvedReferences(template)).toEqual([]);
  });

  it("uses no Fn::ForEach, so it deploys without the AWS::LanguageExtensions transform", () => {
    const loops = [...objectsIn(template, "")].flatMap(([o, p]) =>
      Object.keys(o)
        .filter((k) => k.startsWith("Fn::ForEach"))
        .map((k) => `${p}.${k}`),
    );
    expect(loops).toEqual([]);
    expect(template.Transform).toBeUndefined();
  });
});

describe("deploy/template.yaml IAM", () => {
  const statements = policyStatements(template.Resources, "Resources");

  it("finds the statements of every policy in the template (topic, queue, bridge, trust)", () => {
    expect(statements.map((s) => s.path.split(".")[1])).toEqual(
      expect.arrayContaining([
        "ApprovalTopicPolicy",
        "ApprovalQueuePolicy",
        "BridgePolicy",
        "BridgeRole",
      ]),
    );
    expect(statements.length).toBeGreaterThanOrEqual(7);
  });

  it("grants no wildcard action in any statement", () => {
    const wildcards = statements.flatMap(({ path, statement }) =>
      actionsOf(statement)
        // Covers "*" and "service:*", and also partial wildcards such as "sqs:Get*".
        .filter((a) => a.includes("*"))
        .map((a) => `${path}: ${a}`),
    );
    expect(wildcards).toEqual([]);
    const notActions = statements.filter(({ statement }) => statement.NotAction !== undefined);
    expect(notActions.map((s) => s.path)).toEqual([]);
  });

  it('gives the bridge no Resource "*" and no NotResource', () => {
    const bridge = statements.filter((s) => s.path.startsWith("Resources.BridgePolicy."));
    expect(bridge.length).toBeGreaterThan(0);
    const offending = bridge
      .filter(
        ({ statement }) =>
          statement.NotResource !== undefined || list(statement.Resource).includes("*"),
      )
      .map((s) => s.path);
    expect(offending).toEqual([]);
  });

  it("grants the bridge exactly the five CodePipeline and five SQS actions it needs", () => {
    const granted = bridgeStatements(stackFor(template, { PipelineNames: "p" }))
      .filter((s) => s.Effect === "Allow")
      .flatMap(actionsOf)
      .sort();
    expect(granted).toEqual([...PIPELINE_ACTIONS, ...QUEUE_ACTIONS].sort());
  });

  it("scopes pipeline reads to the listed pipelines and approvals to their actions", () => {
    const bridge = bridgeStatements(
      stackFor(template, { PipelineNames: "my-service-pipeline,other.pipeline@v2" }),
    );
    const pipelines = [arn("my-service-pipeline"), arn("other.pipeline@v2")];
    for (const action of PIPELINE_ACTIONS.filter((a) => a !== "codepipeline:PutApprovalResult"))
      expect(statementGranting(bridge, action).Resource).toEqual(pipelines);
    expect(statementGranting(bridge, "codepipeline:PutApprovalResult").Resource).toEqual(
      pipelines.map((p) => `${p}/*/*`),
    );
    for (const action of QUEUE_ACTIONS)
      expect(statementGranting(bridge, action).Resource).toBe("{{ApprovalQueue.Arn}}");
  });

  it("fills all 10 pipeline slots, in order, when 10 names are given", () => {
    const names = Array.from({ length: 10 }, (_, i) => `pipeline-${i + 1}`);
    const stack = stackFor(template, { PipelineNames: names.join(",") });
    const bridge = bridgeStatements(stack);
    expect(statementGranting(bridge, "codepipeline:GetPipelineState").Resource).toEqual(
      names.map(arn),
    );
    expect(statementGranting(bridge, "codepipeline:PutApprovalResult").Resource).toEqual(
      names.map((n) => `${arn(n)}/*/*`),
    );
    const types = Object.values(createdResources(stack)).map((r) => r.Type);
    expect(types).not.toContain("AWS::CloudFormation::WaitCondition");
  });

  it("fails the stack (fail-fast wait condition) rather than silently dropping an 11th pipeline", () => {
    const names = Array.from({ length: 11 }, (_, i) => `pipeline-${i + 1}`);
    const created = Object.values(
      createdResources(stackFor(template, { PipelineNames: names.join(",") })),
    );
    const waits = created.filter((r) => r.Type === "AWS::CloudFormation::WaitCondition");
    expect(waits).toHaveLength(1);
    expect(obj(waits[0]?.Properties, "wait").Timeout).toBe("1");
  });

  it("requires PipelineNames (no default) and rejects wildcards or malformed names", () => {
    const p = obj(template.Parameters.PipelineNames, "PipelineNames");
    expect(p.Type).toBe("CommaDelimitedList");
    expect(p.Default).toBeUndefined();
    expect(() => stackFor(template, {})).toThrow(/PipelineNames is required/);
    for (const bad of ["*", "a,*", "prod-*", "a/b", "a,,b", "a b", "x".repeat(101)])
      expect(() => stackFor(template, { PipelineNames: bad }), bad).toThrow(/AllowedPattern/);
    expect(() =>
      stackFor(template, { PipelineNames: "A-b_c.d@e,x".concat("y".repeat(99)) }),
    ).not.toThrow();
  });

  it("lets only CodePipeline from this account publish to the topic via the topic policy", () => {
    const doc = obj(properties(template, "ApprovalTopicPolicy").PolicyDocument, "topic policy");
    expect(properties(template, "ApprovalTopicPolicy").Topics).toEqual([{ Ref: "ApprovalTopic" }]);
    expect(doc.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "codepipeline.amazonaws.com" },
        Action: "sns:Publish",
        Resource: { Ref: "ApprovalTopic" },
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
      }),
    ]);
  });

  it("lets only the topic and the event rule send to the queue", () => {
    // Evaluated: the senders of other accounts (SpokeAccountIds) exist only when asked for.
    const policy = obj(
      createdResources(stackFor(template, { PipelineNames: "p" })).ApprovalQueuePolicy?.Properties,
      "ApprovalQueuePolicy.Properties",
    );
    expect(policy.Queues).toEqual(["{{ApprovalQueue}}"]);
    const senders = list(obj(policy.PolicyDocument, "queue policy").Statement).map((s) => {
      const st = obj(s, "statement");
      return {
        effect: st.Effect,
        principal: st.Principal,
        actions: actionsOf(st),
        resource: st.Resource,
        sourceArn: obj(obj(st.Condition, "Condition").ArnEquals, "ArnEquals")["aws:SourceArn"],
      };
    });
    const toQueue = "{{ApprovalQueue.Arn}}";
    expect(senders).toEqual([
      {
        effect: "Allow",
        principal: { Service: "sns.amazonaws.com" },
        actions: ["sqs:SendMessage"],
        resource: toQueue,
        sourceArn: "{{ApprovalTopic}}",
      },
      {
        effect: "Allow",
        principal: { Service: "events.amazonaws.com" },
        actions: ["sqs:SendMessage"],
        resource: toQueue,
        sourceArn: "{{ApprovalEventRule.Arn}}",
      },
    ]);
  });

  it("creates the optional bridge role only when asked, for ECS tasks and Lambda", () => {
    expect(createdResources(stackFor(template, { PipelineNames: "p" })).BridgeRole).toBeUndefined();
    const role = createdResources(
      stackFor(template, { PipelineNames: "p", CreateBridgeRole: "true" }),
    ).BridgeRole;
    const props = obj(role?.Properties, "BridgeRole.Properties");
    const trust = list(obj(props.AssumeRolePolicyDocument, "trust").Statement);
    expect(trust).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"] },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(props.ManagedPolicyArns).toEqual([
      "{{BridgePolicy}}",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
  });
});

describe("deploy/template.yaml messaging", () => {
  const approvalEvent = {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "CodePipeline Action Execution State Change",
    source: "aws.codepipeline",
    account: "123456789012",
    time: "2026-11-28T11:09:38Z",
    region: "us-east-1",
    resources: ["arn:aws:codepipeline:us-east-1:123456789012:my-service-pipeline"],
    detail: {
      pipeline: "my-service-pipeline",
      "execution-id": "695b5c69-7afe-43c2-a5e7-778ad1763485",
      stage: "Approval",
      action: "ManualApproval",
      state: "STARTED",
      region: "us-east-1",
      type: { owner: "AWS", provider: "Manual", category: "Approval", version: "1" },
      version: 5,
    },
  };

  it("routes Approval action state changes of the named pipelines, and nothing else, from EventBridge to the queue", () => {
    const rule = obj(
      createdResources(stackFor(template, { PipelineNames: "my-service-pipeline,other" }))
        .ApprovalEventRule?.Properties,
      "ApprovalEventRule.Properties",
    );
    const pattern = rule.EventPattern;
    expect(pattern).toEqual({
      source: ["aws.codepipeline"],
      "detail-type": ["CodePipeline Action Execution State Change"],
      detail: { pipeline: ["my-service-pipeline", "other"], type: { category: ["Approval"] } },
    });
    expect(
      eventMatches(pattern, {
        ...approvalEvent,
        detail: { ...approvalEvent.detail, pipeline: "someone-elses-pipeline" },
      }),
    ).toBe(false);
    expect(eventMatches(pattern, approvalEvent)).toBe(true);
    expect(
      eventMatches(pattern, {
        ...approvalEvent,
        detail: { ...approvalEvent.detail, state: "FAILED" },
      }),
    ).toBe(true);
    const build = { ...approvalEvent.detail.type, category: "Build", provider: "CodeBuild" };
    expect(
      eventMatches(pattern, { ...approvalEvent, detail: { ...approvalEvent.detail, type: build } }),
    ).toBe(false);
    expect(
      eventMatches(pattern, {
        ...approvalEvent,
        "detail-type": "CodePipeline Stage Execution State Change",
      }),
    ).toBe(false);

    expect(rule.Targets).toEqual([{ Id: expect.any(String), Arn: "{{ApprovalQueue.Arn}}" }]);
  });

  it("subscribes the queue to the topic with raw message delivery off by default", () => {
    const sub = createdResources(
      stackFor(template, { PipelineNames: "p" }),
    ).ApprovalQueueSubscription;
    expect(sub?.Type).toBe("AWS::SNS::Subscription");
    expect(sub?.Properties).toEqual({
      TopicArn: "{{ApprovalTopic}}",
      Protocol: "sqs",
      Endpoint: "{{ApprovalQueue.Arn}}",
      RawMessageDelivery: "false",
    });
  });

  it("encrypts the queue, long-polls it and dead-letters after MaxReceiveCount (default 5)", () => {
    const queue = properties(template, "ApprovalQueue");
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      ReceiveMessageWaitTimeSeconds: 20,
    });
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] },
      maxReceiveCount: { Ref: "MaxReceiveCount" },
    });
    expect(obj(template.Parameters.MaxReceiveCount, "MaxReceiveCount").Default).toBe(5);

    expect(resource(template, "DeadLetterQueue").Type).toBe("AWS::SQS::Queue");
    const dlq = properties(template, "DeadLetterQueue");
    expect(dlq.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
    // A standard queue keeps the original enqueue time on redrive: the DLQ must keep messages longer.
    expect(Number(dlq.MessageRetentionPeriod)).toBeGreaterThan(
      Number(queue.MessageRetentionPeriod ?? 4 * 24 * 60 * 60),
    );
  });
});

describe("deploy/template.yaml outputs", () => {
  const outputs = template.Outputs;
  const required = [
    "QueueUrl",
    "QueueArn",
    "DeadLetterQueueUrl",
    "TopicArn",
    "BridgePolicyArn",
    "BridgeRoleArn",
    "Region",
  ];

  it("exports every value the bridge and the pipelines need, each with a description", () => {
    expect(Object.keys(outputs).sort()).toEqual(expect.arrayContaining([...required].sort()));
    const undescribed = required.filter((name) => {
      const d = obj(outputs[name], name).Description;
      return typeof d !== "string" || d.trim().length < 10;
    });
    expect(undescribed).toEqual([]);
  });

  it("names the setting each output feeds", () => {
    const description = (name: string) => str(obj(outputs[name], name).Description, name);
    expect(description("QueueUrl")).toContain("SQS_QUEUE_URL");
    expect(description("Region")).toContain("AWS_REGION");
    expect(description("TopicArn")).toContain("NotificationArn");
    expect(description("BridgePolicyArn")).toMatch(/role/i);
  });

  it("points the outputs at the right resources", () => {
    const values = (given: Record<string, string>) => {
      const stack = stackFor(template, given);
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(outputs)) {
        const o = obj(value, name);
        if (typeof o.Condition === "string" && !condition(stack, o.Condition)) continue;
        out[name] = evaluate(stack, o.Value);
      }
      return out;
    };
    expect(values({ PipelineNames: "p" })).toEqual({
      QueueUrl: "{{ApprovalQueue}}", // Ref of an AWS::SQS::Queue is its URL
      QueueArn: "{{ApprovalQueue.Arn}}",
      DeadLetterQueueUrl: "{{DeadLetterQueue}}",
      TopicArn: "{{ApprovalTopic}}", // Ref of an AWS::SNS::Topic is its ARN
      BridgePolicyArn: "{{BridgePolicy}}", // Ref of an AWS::IAM::ManagedPolicy is its ARN
      Region: "eu-west-1",
      DeadLetterQueueAlarmName: "{{DeadLetterQueueAlarm}}",
    });
    expect(values({ PipelineNames: "p", DeployLambda: "true" })).toMatchObject({
      BridgeRoleArn: "{{BridgeRole.Arn}}",
      WebhookUrl: "{{WebhookFunctionUrl.FunctionUrl}}",
    });
    expect(values({ PipelineNames: "p", CreateBridgeRole: "true" })).toMatchObject({
      BridgeRoleArn: "{{BridgeRole.Arn}}",
    });
    expect(resource(template, "ApprovalQueue").Type).toBe("AWS::SQS::Queue");
    expect(resource(template, "ApprovalTopic").Type).toBe("AWS::SNS::Topic");
    expect(resource(template, "BridgePolicy").Type).toBe("AWS::IAM::ManagedPolicy");
    expect(obj(outputs.BridgeRoleArn, "BridgeRoleArn").Condition).toBe(
      resource(template, "BridgeRole").Condition,
    );
  });
});

// ---- other accounts and regions (docs/multi-account.md) -----------------------------------------

/** EventBridge matching with the operators the multi-account rules add: `anything-but` and `$or`. */
function eventMatchesWithOperators(pattern: unknown, event: unknown): boolean {
  if (!isObj(pattern) || !isObj(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === "$or")
      return list(expected).some((branch) => eventMatchesWithOperators(branch, event));
    const actual = event[key];
    if (!Array.isArray(expected))
      return isObj(expected) && eventMatchesWithOperators(expected, actual);
    return list(actual).some((a) =>
      expected.some((e) => {
        if (!isObj(e)) return e === a;
        if ("anything-but" in e) return !list(e["anything-but"]).includes(a);
        throw new Error(`matcher does not support ${JSON.stringify(e)}`);
      }),
    );
  });
}

const spokeEvent = {
  "detail-type": "CodePipeline Action Execution State Change",
  source: "aws.codepipeline",
  account: "222222222222",
  region: "us-west-2",
  detail: {
    pipeline: "staging-pipeline",
    stage: "Approval",
    action: "ManualApproval",
    state: "SUCCEEDED",
    type: { owner: "AWS", provider: "Manual", category: "Approval", version: "1" },
  },
};

function queueSenders(stack: Stack): Obj[] {
  const policy = obj(createdResources(stack).ApprovalQueuePolicy?.Properties, "queue policy");
  return list(obj(policy.PolicyDocument, "document").Statement).map((s) => obj(s, "statement"));
}

describe("deploy/template.yaml: deliveries from other accounts and regions", () => {
  it("accepts nothing from another account or region unless asked", () => {
    const stack = stackFor(template, { PipelineNames: "p" });
    const ids = Object.keys(createdResources(stack));
    expect(ids.filter((id) => id.startsWith("Spoke"))).toEqual([]);
    expect(queueSenders(stack).map((s) => s.Sid)).toEqual([
      "AllowApprovalTopicToSend",
      "AllowApprovalEventRuleToSend",
    ]);
  });

  it("with an account list, lets those accounts' topics send to the queue and their rules put events on this region's bus", () => {
    const stack = stackFor(template, {
      PipelineNames: "p",
      SpokeAccountIds: "222222222222,123456789012",
    });
    const created = createdResources(stack);
    expect(queueSenders(stack).slice(2)).toEqual([
      {
        Sid: "AllowSpokeTopicsToSend",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: "{{ApprovalQueue.Arn}}",
        Condition: { StringEquals: { "aws:SourceAccount": ["222222222222", "123456789012"] } },
      },
      {
        Sid: "AllowSpokeEventRuleToSend",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: "{{ApprovalQueue.Arn}}",
        Condition: { ArnEquals: { "aws:SourceArn": "{{SpokeApprovalEventRule.Arn}}" } },
      },
    ]);
    expect(created.SpokeEventBusPolicyForAccounts?.Properties).toEqual({
      StatementId: "codepipeline-approvals-spoke-accounts",
      Statement: {
        Effect: "Allow",
        Principal: { AWS: ["222222222222", "123456789012"] },
        Action: "events:PutEvents",
        Resource: "arn:aws:events:eu-west-1:123456789012:event-bus/default",
      },
    });
    expect(created.SpokeEventBusPolicyForOrganization).toBeUndefined();
  });

  it("with an organization, lets its accounts deliver, by aws:SourceOrgID and aws:PrincipalOrgID", () => {
    const stack = stackFor(template, { PipelineNames: "p", SpokeOrganizationId: "o-a1b2c3d4e5" });
    const created = createdResources(stack);
    expect(queueSenders(stack)[2]?.Condition).toEqual({
      StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" },
    });
    expect(created.SpokeEventBusPolicyForAccounts).toBeUndefined();
    expect(
      obj(created.SpokeEventBusPolicyForOrganization?.Properties, "bus policy").Statement,
    ).toMatchObject({
      Principal: "*",
      Action: "events:PutEvents",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    });
  });

  it("lets the bridge assume the listed spoke roles and no others, attached to the role it creates", () => {
    const roles = "arn:aws:iam::222222222222:role/spoke-BridgeAccessRole-A";
    expect(
      createdResources(stackFor(template, { PipelineNames: "p" })).SpokeAssumeRolePolicy,
    ).toBeUndefined();
    const withRole = createdResources(
      stackFor(template, { PipelineNames: "p", SpokeRoleArns: roles, CreateBridgeRole: "true" }),
    ).SpokeAssumeRolePolicy;
    const props = obj(withRole?.Properties, "SpokeAssumeRolePolicy.Properties");
    expect(props.Roles).toEqual(["{{BridgeRole}}"]);
    expect(obj(props.PolicyDocument, "doc").Statement).toEqual([
      { Sid: "AssumeSpokeRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: [roles] },
    ]);
    const ownRole = createdResources(
      stackFor(template, { PipelineNames: "p", SpokeRoleArns: roles }),
    ).SpokeAssumeRolePolicy;
    expect(obj(ownRole?.Properties, "props").Roles).toBeUndefined();
    expect(() =>
      stackFor(template, { PipelineNames: "p", SpokeRoleArns: "arn:aws:iam::222222222222:user/x" }),
    ).toThrow(/AllowedPattern/);
  });

  it("refuses malformed account and organization ids", () => {
    for (const bad of ["12345", "222222222222,abc", "*"])
      expect(() => stackFor(template, { PipelineNames: "p", SpokeAccountIds: bad }), bad).toThrow(
        /AllowedPattern/,
      );
    expect(() => stackFor(template, { PipelineNames: "p", SpokeOrganizationId: "my-org" })).toThrow(
      /AllowedPattern/,
    );
  });

  it("routes forwarded approval events (another account, or this account in another region) to the queue, and not this account's own", () => {
    const stack = stackFor(template, { PipelineNames: "p", SpokeAccountIds: "222222222222" });
    const rule = obj(createdResources(stack).SpokeApprovalEventRule?.Properties, "rule");
    const pattern = rule.EventPattern;
    expect(eventMatchesWithOperators(pattern, spokeEvent)).toBe(true);
    const ownOtherRegion = { ...spokeEvent, account: "123456789012", region: "us-west-2" };
    expect(eventMatchesWithOperators(pattern, ownOtherRegion)).toBe(true);
    const ownHere = { ...spokeEvent, account: "123456789012", region: "eu-west-1" };
    expect(eventMatchesWithOperators(pattern, ownHere)).toBe(false);
    const build = { ...spokeEvent.detail.type, category: "Build" };
    expect(
      eventMatchesWithOperators(pattern, {
        ...spokeEvent,
        detail: { ...spokeEvent.detail, type: build },
      }),
    ).toBe(false);
    expect(rule.Targets).toEqual([{ Id: expect.any(String), Arn: "{{ApprovalQueue.Arn}}" }]);
  });
});

const spokePath = fileURLToPath(new URL("../../deploy/spoke.yaml", import.meta.url));
const spoke = asTemplate(parseCloudFormationYaml(readFileSync(spokePath, "utf8")));
const hubParameters = {
  HubAccountId: "111111111111",
  HubRegion: "us-east-1",
  HubQueueArn: "arn:aws:sqs:us-east-1:111111111111:approvals",
  BridgeRoleArn: "arn:aws:iam::111111111111:role/approvals-bridge",
};

describe("deploy/spoke.yaml", () => {
  it("resolves every reference and uses no transform", () => {
    expect(unresolvedReferences(spoke)).toEqual([]);
    expect(spoke.Transform).toBeUndefined();
  });

  it('grants no wildcard action and gives the bridge no Resource "*"', () => {
    const statements = policyStatements(spoke.Resources, "Resources");
    expect(
      statements.flatMap(({ statement }) => actionsOf(statement).filter((a) => a.includes("*"))),
    ).toEqual([]);
    const stack = stackFor(spoke, { PipelineNames: "p", ...hubParameters });
    const resources = JSON.stringify(createdResources(stack));
    expect(resources).not.toContain('"Resource":"*"');
  });

  it("lets the bridge read and answer only the listed pipelines, through a role that trusts only the bridge's role and asks for the external id", () => {
    const stack = stackFor(spoke, {
      PipelineNames: "staging-pipeline,other",
      ...hubParameters,
      ExternalId: "approvals-ext-1",
    });
    const created = createdResources(stack);
    const doc = obj(obj(created.PipelineAccessPolicy?.Properties, "policy").PolicyDocument, "doc");
    const statements = list(doc.Statement).map((s) => obj(s, "statement"));
    const granted = statements.flatMap(actionsOf).sort();
    expect(granted).toEqual(PIPELINE_ACTIONS);
    const pipelines = [arn("staging-pipeline"), arn("other")];
    expect(statementGranting(statements, "codepipeline:GetPipelineState").Resource).toEqual(
      pipelines,
    );
    expect(statementGranting(statements, "codepipeline:PutApprovalResult").Resource).toEqual(
      pipelines.map((p) => `${p}/*/*`),
    );
    const role = obj(created.BridgeAccessRole?.Properties, "role");
    expect(list(obj(role.AssumeRolePolicyDocument, "trust").Statement)).toEqual([
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:role/approvals-bridge" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": "approvals-ext-1" } },
      },
    ]);
    expect(role.ManagedPolicyArns).toEqual(["{{PipelineAccessPolicy}}"]);
    expect(role.Policies).toBeUndefined();
  });

  it("asks for no external id when none is given", () => {
    const role = createdResources(
      stackFor(spoke, { PipelineNames: "p", ...hubParameters }),
    ).BridgeAccessRole;
    const trust = list(
      obj(obj(role?.Properties, "role").AssumeRolePolicyDocument, "trust").Statement,
    );
    expect(trust).toEqual([
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:role/approvals-bridge" },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  it("creates no role in the hub's own account (another region), whose calls use the bridge's own credentials", () => {
    const created = createdResources(
      stackFor(spoke, { PipelineNames: "p", ...hubParameters, HubAccountId: "123456789012" }),
    );
    expect(created.BridgeAccessRole).toBeUndefined();
    expect(created.PipelineAccessPolicy?.Type).toBe("AWS::IAM::ManagedPolicy");
  });

  it("attaches the access to an existing role instead of creating one when asked (a second region of an account, or the bridge's role in the hub's account)", () => {
    for (const HubAccountId of ["111111111111", "123456789012"]) {
      const created = createdResources(
        stackFor(spoke, {
          PipelineNames: "p",
          ...hubParameters,
          HubAccountId,
          AttachToRoleName: "spoke-BridgeAccessRole-A",
        }),
      );
      expect(created.BridgeAccessRole).toBeUndefined();
      expect(obj(created.PipelineAccessPolicy?.Properties, "policy").Roles).toEqual([
        "spoke-BridgeAccessRole-A",
      ]);
    }
  });

  it("forwards the listed pipelines' approval state changes to the hub's default bus, with a role that may only put events there", () => {
    const created = createdResources(
      stackFor(spoke, { PipelineNames: "staging-pipeline", ...hubParameters }),
    );
    const rule = obj(created.ForwardApprovalEventsRule?.Properties, "rule");
    const hubBus = "arn:aws:events:us-east-1:111111111111:event-bus/default";
    expect(rule.Targets).toEqual([
      { Id: expect.any(String), Arn: hubBus, RoleArn: "{{ForwardApprovalEventsRole.Arn}}" },
    ]);
    expect(eventMatchesWithOperators(rule.EventPattern, spokeEvent)).toBe(true);
    expect(
      eventMatchesWithOperators(rule.EventPattern, {
        ...spokeEvent,
        detail: { ...spokeEvent.detail, pipeline: "someone-elses" },
      }),
    ).toBe(false);
    const role = obj(created.ForwardApprovalEventsRole?.Properties, "forwarding role");
    expect(policyStatements(role, "role").map((s) => s.statement)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
      { Effect: "Allow", Action: "events:PutEvents", Resource: hubBus },
    ]);
  });

  it("lets CodePipeline here publish to its own topic and only the hub's queue subscribe to it", () => {
    const created = createdResources(stackFor(spoke, { PipelineNames: "p", ...hubParameters }));
    const doc = obj(
      obj(created.ApprovalTopicPolicy?.Properties, "topic policy").PolicyDocument,
      "doc",
    );
    expect(list(doc.Statement)).toEqual([
      expect.objectContaining({
        Principal: { Service: "codepipeline.amazonaws.com" },
        Action: "sns:Publish",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      }),
      expect.objectContaining({
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: "sns:Subscribe",
        Condition: {
          StringEquals: {
            "sns:Protocol": "sqs",
            "sns:Endpoint": "arn:aws:sqs:us-east-1:111111111111:approvals",
          },
        },
      }),
    ]);
  });

  it("fails the stack rather than silently dropping an 11th pipeline", () => {
    const names = Array.from({ length: 11 }, (_, i) => `pipeline-${i + 1}`).join(",");
    const created = Object.values(
      createdResources(stackFor(spoke, { PipelineNames: names, ...hubParameters })),
    );
    expect(created.filter((r) => r.Type === "AWS::CloudFormation::WaitCondition")).toHaveLength(1);
  });
});
