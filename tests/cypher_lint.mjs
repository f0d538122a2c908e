// Lint Cypher statements with Neo4j's own Cypher front end.
//
// Run by tests/test_cypher_lint.py with the machine's Node.js:
//
//   node tests/cypher_lint.mjs <folder where @neo4j-cypher/language-support is installed>
//
// stdin: JSON {"schema": DbSchema without parameters, "versions": ["CYPHER 5", ...],
//              "statements": [{"file": "...", "text": "...", "parameters": ["rows", ...]}]}
// stdout: JSON {"linter": "<package>@<version>", "results": [{"file", "version",
//              "statements", "diagnostics": [{"line", "column", "severity", "message"}]}]}
//
// lintCypherQuery (from @neo4j-cypher/language-support, the library behind Neo4j's
// VS Code extension and Browser) parses with Neo4j's grammar and runs Neo4j's semantic
// analysis (compiled from the Java front end into semanticAnalysis.js). With a DbSchema
// it also reports labels, relationship types, property keys and parameters that the
// schema does not have, and relationships between the wrong labels. Functions and
// procedures are checked against the catalogue the package ships (testData.mockSchema,
// taken from a Neo4j server): its built-in functions, and its procedures other than
// APOC and GDS plug-ins, which a plain neo4j:5 server does not have.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const PACKAGE = "@neo4j-cypher/language-support";
const SEVERITY = { 1: "error", 2: "warning", 3: "information", 4: "hint" };

const prefix = resolve(process.argv[2] ?? ".cache/cypher-lint");
const require = createRequire(join(prefix, "package.json"));
const languageSupport = require(PACKAGE);
const { version } = JSON.parse(
  readFileSync(join(prefix, "node_modules", PACKAGE, "package.json"), "utf8"),
);
const { lintCypherQuery, testData } = languageSupport;

function catalogue() {
  const functions = {};
  const procedures = {};
  const { mockSchema } = testData;
  for (const cypherVersion of Object.keys(mockSchema.functions)) {
    functions[cypherVersion] = Object.fromEntries(
      Object.entries(mockSchema.functions[cypherVersion]).filter(([, f]) => f.isBuiltIn),
    );
  }
  for (const cypherVersion of Object.keys(mockSchema.procedures)) {
    procedures[cypherVersion] = Object.fromEntries(
      Object.entries(mockSchema.procedures[cypherVersion]).filter(
        ([name]) => !name.startsWith("apoc.") && !name.startsWith("gds."),
      ),
    );
  }
  return { functions, procedures };
}

const input = JSON.parse(readFileSync(0, "utf8"));
const { functions, procedures } = catalogue();
const results = [];
for (const statement of input.statements) {
  for (const cypherVersion of input.versions) {
    const schema = {
      ...input.schema,
      functions,
      procedures,
      defaultLanguage: cypherVersion,
      // Only the parameters the file's header declares: any other is reported.
      parameters: Object.fromEntries(statement.parameters.map((name) => [name, null])),
    };
    const { diagnostics, symbolTables } = lintCypherQuery(statement.text, schema, {
      consoleCommandsEnabled: false,
    });
    results.push({
      file: statement.file,
      version: cypherVersion,
      statements: symbolTables.length,
      diagnostics: diagnostics.map((d) => ({
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: SEVERITY[d.severity] ?? String(d.severity),
        message: d.message,
      })),
    });
  }
}
process.stdout.write(JSON.stringify({ linter: `${PACKAGE}@${version}`, results }));
