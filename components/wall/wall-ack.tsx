import type { Ack } from '@/lib/shared/acks';

/**
 * "ACK'D · X" on a wall tile: someone is on it, readable from across the room (the state badge's
 * size, light on the dark tile, its own colour apart from every state's). The note is in the title
 * for a screen that is looked at up close.
 */
export function WallAck({ ack }: { ack: Ack }) {
  return (
    <span
      className="min-w-0 truncate rounded-[0.6vh] px-[0.6vh] py-[0.2vh] text-[max(16px,1.8vh)] font-semibold tracking-tight whitespace-nowrap text-indigo-100 uppercase ring-2 ring-indigo-300 ring-inset"
      title={`${ack.by}: ${ack.note}`}
      data-testid="wall-ack"
    >
      {/* Narrow spaces: more of the name fits beside the state and the duration. */}
      Ack&apos;d{'\u202f·\u202f'}
      <span className="normal-case">{ack.by}</span>
    </span>
  );
}
