// Times as the pages write them.

// "2:05" or "-0:40" for a number of seconds.
export function clock(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const whole = Math.abs(Math.round(seconds));
  return `${sign}${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// Seconds left before a target, or how far past it: "2:05 left", "0:40 overdue" in the page's words.
export function timeLeft(left, ui) {
  return left >= 0 ? `${clock(left)} ${ui.left}` : `${clock(-left)} ${ui.overdue}`;
}

// The wall-clock time of an ISO timestamp in the command centre's zone, 24-hour.
export function wallTime(iso) {
  return new Date(iso).toLocaleTimeString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" });
}
