/** Which side of a comparison is the new (candidate) schema and which the old (registered) one. */
export interface SideLabels {
  reader: 'new' | 'old';
  writer: 'new' | 'old';
}

/** BACKWARD: the new schema reads data written with the old one. */
export const NEW_READS_OLD: SideLabels = { reader: 'new', writer: 'old' };
/** FORWARD: the old schema reads data written with the new one. */
export const OLD_READS_NEW: SideLabels = { reader: 'old', writer: 'new' };
