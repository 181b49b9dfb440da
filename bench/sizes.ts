// Sections 5 and 6: what answers and the tool list cost in a model's context, in tokens.
// gpt-tokenizer (o200k_base) is an OpenAI BPE tokenizer, used as a stand-in for Claude's:
// Anthropic publishes no current offline tokenizer. Expect Claude's counts to differ by
// some percent, not by a factor.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { SEED_TOOL_NAMES } from "../lib/tools/index.ts";
import { connect, type Dxp, textOf } from "./in-process.ts";
import { heading, note, type Target, table, targets } from "./report.ts";
import { r } from "./util.ts";

export const TOKENIZER =
  "gpt-tokenizer 4.0.0, o200k_base (an OpenAI BPE tokenizer, a stand-in for Claude's: Anthropic publishes no current offline tokenizer)";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** The seed's 13 tools (issue 13's tools/list budget is for these; added tools get 250 tokens each on average). */
const SEED_TOOLS: ReadonlySet<string> = new Set(SEED_TOOL_NAMES);

const DEFAULT_ARGS: Record<string, Record<string, unknown>> = { configure_connection: { domainName: "acme" } };

interface Answer {
  tool: string;
  textTokens: number;
  structuredTokens: number;
  sumTokens: number;
  textBytes: number;
  structuredBytes: number;
  upstreamGets: number;
  upstreamBytes: number;
  upstreamTokens: number;
}

export async function answerSizeSection(dxp: Dxp) {
  heading("5. Answer size: each tool's default answer, in tokens, beside the raw upstream JSON it came from");
  note(`Tokenizer: ${TOKENIZER}.`);
  note(
    "Default arguments: {} (configure_connection: { domainName: \"acme\" }), one fresh session, answer cache off so each call's upstream GETs show in the simulator's log; those GETs are fetched again directly and their bodies counted.",
  );
  const mcp = await connect(dxp, "off");
  const answers: Answer[] = [];
  try {
    const { tools } = await mcp.client.listTools();
    // configure_connection last: it changes this session's connection.
    const ordered = [
      ...tools.filter((t) => t.name !== "configure_connection"),
      ...tools.filter((t) => t.name === "configure_connection"),
    ];
    for (const tool of ordered) {
      const { result, upstream } = await mcp.traced(tool.name, DEFAULT_ARGS[tool.name] ?? {});
      const text = textOf(result);
      const structured = result.structuredContent === undefined ? "" : JSON.stringify(result.structuredContent);
      let upstreamBytes = 0;
      let upstreamTokens = 0;
      const gets = upstream.filter((q) => q.method === "GET");
      for (const q of gets) {
        const query = new URLSearchParams(q.query).toString();
        const response = await fetch(`${dxp.http.url}${q.path}${query ? `?${query}` : ""}`, {
          headers: q.token ? { authorization: `Bearer ${q.token}` } : {},
        });
        const body = await response.text();
        upstreamBytes += bytes(body);
        upstreamTokens += countTokens(body);
      }
      const textTokens = countTokens(text);
      const structuredTokens = structured ? countTokens(structured) : 0;
      answers.push({
        tool: tool.name,
        textTokens,
        structuredTokens,
        sumTokens: textTokens + structuredTokens,
        textBytes: bytes(text),
        structuredBytes: bytes(structured),
        upstreamGets: gets.length,
        upstreamBytes,
        upstreamTokens,
      });
    }
  } finally {
    await mcp.close();
  }
  const pct = (a: number, b: number) => (b > 0 ? `${r((100 * a) / b, 0)}%` : "–");
  table(
    [
      "tool",
      "text tok",
      "structured tok",
      "text+structured tok",
      "text B",
      "structured B",
      "upstream GETs",
      "upstream B",
      "upstream tok",
      "sum / upstream",
    ],
    answers.map((a) => [
      a.tool,
      a.textTokens,
      a.structuredTokens,
      a.sumTokens,
      a.textBytes,
      a.structuredBytes,
      a.upstreamGets,
      a.upstreamBytes,
      a.upstreamTokens,
      pct(a.sumTokens, a.upstreamTokens),
    ]),
  );
  const largest = answers.reduce((a, b) => (b.sumTokens > a.sumTokens ? b : a));
  const over = answers.filter((a) => a.sumTokens > 1500);
  const overText = answers.filter((a) => a.textTokens > 1500);
  const summary = answers.find((a) => a.tool === "get_session_summary")!;
  note(
    `Counted both ways: text + structuredContent together (the targets below use the sum: a client may put both in context), ` +
      `and each alone (largest text-only ${Math.max(...answers.map((a) => a.textTokens))}, largest structured-only ${Math.max(...answers.map((a) => a.structuredTokens))}).`,
  );
  const list: Target[] = [
    {
      section: "5. answer size",
      what: "every default answer, text + structured",
      target: "≤ 1,500 tokens",
      measured: `largest ${largest.sumTokens} (${largest.tool}); ${over.length} of ${answers.length} over (text alone: ${overText.length} over)`,
      pass: over.length === 0,
    },
    {
      section: "5. answer size",
      what: "get_session_summary answer vs its raw upstream JSON (tokens)",
      target: "≤ 25%",
      measured: `${pct(summary.sumTokens, summary.upstreamTokens)} (${summary.sumTokens} vs ${summary.upstreamTokens}; text alone ${pct(summary.textTokens, summary.upstreamTokens)})`,
      pass: summary.sumTokens <= 0.25 * summary.upstreamTokens,
    },
  ];
  if (over.length) note(`Over 1,500 (text + structured): ${over.map((a) => `${a.tool} ${a.sumTokens}`).join(", ")}.`);
  targets(list);
  return { json: { tokenizer: TOKENIZER, answers }, targets: list };
}

export async function toolSurfaceSection(dxp: Dxp) {
  heading("6. Tool surface: the whole tools/list answer");
  const mcp = await connect(dxp, "off");
  let list: Target[];
  let json: Record<string, unknown>;
  try {
    const answer = await mcp.client.listTools();
    const whole = JSON.stringify(answer);
    const perTool = answer.tools.map((t) => ({
      tool: t.name,
      tokens: countTokens(JSON.stringify(t)),
      descriptionTokens: countTokens(t.description ?? ""),
      inputSchemaTokens: countTokens(JSON.stringify(t.inputSchema)),
      outputSchemaTokens: t.outputSchema ? countTokens(JSON.stringify(t.outputSchema)) : 0,
    }));
    const total = countTokens(whole);
    // Issue 13's budget: the seed's 13 tools within 3,000 tokens, each added tool 250 on average.
    const seedTools = answer.tools.filter((t) => SEED_TOOLS.has(t.name));
    const seed = countTokens(JSON.stringify({ tools: seedTools }));
    const added = answer.tools.length - seedTools.length;
    const addedAverage = added ? (total - seed) / added : 0;
    note(
      `Tokenizer: ${TOKENIZER}. Counted on the compact JSON of the tools/list result (${bytes(whole)} bytes, ${answer.tools.length} tools).`,
    );
    table(
      ["tool", "tokens", "share", "description", "inputSchema", "outputSchema"],
      [
        ...perTool
          .sort((a, b) => b.tokens - a.tokens)
          .map((t) => [
            `${t.tool}${SEED_TOOLS.has(t.tool) ? "" : " (added)"}`,
            t.tokens,
            `${r((100 * t.tokens) / total, 1)}%`,
            t.descriptionTokens,
            t.inputSchemaTokens,
            t.outputSchemaTokens,
          ]),
        [
          "whole tools/list",
          total,
          "100%",
          perTool.reduce((s, t) => s + t.descriptionTokens, 0),
          perTool.reduce((s, t) => s + t.inputSchemaTokens, 0),
          perTool.reduce((s, t) => s + t.outputSchemaTokens, 0),
        ],
      ],
    );
    const inputOnly = countTokens(JSON.stringify({ tools: answer.tools.map(({ outputSchema: _o, ...rest }) => rest) }));
    note(`Without the output schemas (clients that do not show them to the model): ${inputOnly} tokens.`);
    list = [
      {
        section: "6. tool surface",
        what: `tools/list, the seed's ${seedTools.length} tools`,
        target: "≤ 3,000 tokens",
        measured: `${seed} tokens`,
        pass: seed <= 3000,
      },
      {
        section: "6. tool surface",
        what: `tools/list, the ${added} added tools (whole list ${total} tokens, ${bytes(whole)} B)`,
        target: "≤ 250 tokens each on average",
        measured: `${r(addedAverage, 0)} tokens each`,
        pass: addedAverage <= 250,
      },
    ];
    json = {
      tokenizer: TOKENIZER,
      tools: answer.tools.length,
      bytes: bytes(whole),
      tokens: total,
      seedTokens: seed,
      addedAverageTokens: r(addedAverage, 1),
      tokensWithoutOutputSchemas: inputOnly,
      perTool,
    };
  } finally {
    await mcp.close();
  }
  targets(list);
  return { json, targets: list };
}
