import { SecretBox, SecretBoxError } from './secret-box';

/** Counts of secrets, never the secrets. */
export interface ReencryptReport {
  /** Rewritten under the current key (they were under a previous one). */
  rewritten: number;
  /** Already under the current key. */
  current: number;
  /** Under a key this process was not given, or damaged: left as they are. */
  unreadable: number;
}

/**
 * Renews stored secrets under the box's current key (`npm run reencrypt`), counting into `report`: one under the
 * current key already, or unreadable with every key given, comes back as it was.
 */
export function secretRenewal(box: SecretBox, report: ReencryptReport): (enc: string, aad: string) => string {
  return (enc, aad) => {
    if (box.isCurrent(enc)) {
      report.current++;
      return enc;
    }
    try {
      const renewed = box.encrypt(box.decrypt(enc, aad), aad);
      report.rewritten++;
      return renewed;
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      report.unreadable++;
      return enc;
    }
  };
}

export const emptyReencryptReport = (): ReencryptReport => ({ rewritten: 0, current: 0, unreadable: 0 });
