/** Small conversions shared by the to-wire modules. */
import { timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';

export function ts(date: Date): Timestamp {
  return timestampFromDate(date);
}

export function labelsOf(map: { [key: string]: string }): Record<string, string> {
  return Object.fromEntries(Object.entries(map));
}
