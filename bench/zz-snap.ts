import { getHeapSnapshot } from "node:v8";
export async function heapCensus(): Promise<Map<string, { count: number; size: number }>> {
  (globalThis as { gc?: () => void }).gc?.();
  const chunks: string[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(String(chunk));
  const snap = JSON.parse(chunks.join("")) as {
    snapshot: { meta: { node_fields: string[]; node_types: string[][] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0]!;
  const width = fields.length;
  const iType = fields.indexOf("type"),
    iName = fields.indexOf("name"),
    iSize = fields.indexOf("self_size");
  const census = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!]!;
    const name =
      type === "object" || type === "closure"
        ? `${type}:${snap.strings[snap.nodes[i + iName]!]}`
        : type;
    const entry = census.get(name) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += snap.nodes[i + iSize]!;
    census.set(name, entry);
  }
  return census;
}
