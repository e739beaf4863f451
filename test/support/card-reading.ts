/**
 * A card as a person reads it, top to bottom (text, facts, input labels and hints,
 * buttons), for snapshots that show wording rather than JSON.
 */
type Json = Record<string, unknown>;

export function nodes(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(nodes)];
}

export function reading(card: unknown): string {
  return nodes(card)
    .flatMap((n): string[] => {
      if (n.type === 'TextBlock') return [String(n.text)];
      if (n.type === 'RichTextBlock') return [(n.inlines as Json[]).map((r) => r.text).join('')];
      if (n.type === 'FactSet') return (n.facts as Json[]).map((f) => `${f.title}: ${f.value}`);
      if (n.type === 'Input.Text')
        return [`[${n.label}] ${n.placeholder ?? ''} / ${n.errorMessage}`.replace('  /', ' /')];
      if (String(n.type).startsWith('Action.') && n.title !== undefined) return [`<${n.title}>`];
      return [];
    })
    .join('\n');
}
