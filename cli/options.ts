// Parsers for CLI values: a bad value names the flag and what is allowed (exit 2, never a trace).
import { InvalidArgumentError } from "commander";

export function integer(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max} (got "${value}").`);
    }
    return n;
  };
}

export function decimal(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max} (got "${value}").`);
    }
    return n;
  };
}

export function oneOf<T extends string>(flag: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!allowed.includes(value as T)) {
      throw new InvalidArgumentError(`${flag} must be one of ${allowed.join(", ")} (got "${value}").`);
    }
    return value as T;
  };
}

/** Repeatable flags (--fault a --fault b, or --fault a,b). */
export function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(",").map((part) => part.trim()).filter(Boolean));
}

/** Repeatable flags whose value may itself hold commas (`--set x.profiles=[{"a":1},{"b":2}]`). */
export function repeat(value: string, previous: string[] = []): string[] {
  return previous.concat(value);
}
