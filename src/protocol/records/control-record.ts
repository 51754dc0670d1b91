// Control records: the transaction markers (commit/abort) a control batch carries. Key: int16
// version, int16 type. Value: int16 version, int32 coordinator epoch.

export const ControlRecordType = { abort: 0, commit: 1 } as const;
export type ControlRecordTypeValue = (typeof ControlRecordType)[keyof typeof ControlRecordType];

const CONTROL_RECORD_VERSION = 0;

export function controlRecordKey(type: ControlRecordTypeValue): Buffer {
  const key = Buffer.allocUnsafe(4);
  key.writeInt16BE(CONTROL_RECORD_VERSION, 0);
  key.writeInt16BE(type, 2);
  return key;
}

export function controlRecordValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.allocUnsafe(6);
  value.writeInt16BE(CONTROL_RECORD_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/** The marker type in a control record's key, or undefined if the key is not a control key. */
export function readControlRecordType(key: Buffer | null): number | undefined {
  if (key === null || key.length < 4) return undefined;
  return key.readInt16BE(2);
}
