// Connectors and converters are named in configs by Kafka Connect's class name or a short alias, in any case.

export interface NamedByClass {
  readonly className: string;
  readonly aliases: readonly string[];
}

export function findByClassName<T extends NamedByClass>(
  candidates: readonly T[],
  name: string,
): T | undefined {
  const wanted = name.toLowerCase();
  return candidates.find(
    (candidate) =>
      candidate.className.toLowerCase() === wanted ||
      candidate.aliases.some((alias) => alias.toLowerCase() === wanted),
  );
}
