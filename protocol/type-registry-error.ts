// The error a registry of zod variants keyed by `type` gives for a missing or unknown type: it
// names what was given and lists the known ones (toxics, venue faults).
import type { z } from "zod";

export function unknownTypeError(noun: string, unknownPrefix: string, known: readonly string[]) {
  return (iss: z.core.$ZodRawIssue): string | undefined => {
    if (iss.code !== "invalid_union") return undefined;
    const type = (iss.input as { type?: unknown } | undefined)?.type;
    return type === undefined ? `${noun} needs a type: one of ${known.join(", ")}` : `${unknownPrefix} ${JSON.stringify(type)} — known: ${known.join(", ")}`;
  };
}
