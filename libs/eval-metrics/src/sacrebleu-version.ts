/**
 * The sacrebleu release our BLEU and chrF were checked against (e2e/eval-reference scores the
 * same vectors with it and requires agreement within 1e-6). Signatures carry it, so a score
 * is comparable with `sacrebleu` output of that version.
 */
export const SACREBLEU_VERSION = '2.6.0';
