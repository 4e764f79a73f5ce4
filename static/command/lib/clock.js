// Times as the pages write them.

// "2:05" or "-0:40" for a number of seconds.
export function clock(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const whole = Math.abs(Math.round(seconds));
  return `${sign}${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
