// Track playback: a slider over the tracks' time span moves one marker per track to where its unit
// was at that moment (the last fix at or before it); Play runs the slider at 60x.

const SPEED = 60;

function positionAt(track, time) {
  let low = 0;
  let high = track.length - 1;
  if (!track.length || time < track[0][0]) return null;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (track[middle][0] <= time) low = middle; else high = middle - 1;
  }
  return track[low];
}

export class Playback {
  constructor(element, map, tracks) {
    this.element = element;
    this.map = map;
    this.tracks = tracks.filter((t) => t.points.length);
    this.scrub = element.querySelector(".scrub");
    this.output = element.querySelector(".time");
    this.button = element.querySelector(".play");
    const times = this.tracks.flatMap((t) => [t.points[0][0], t.points[t.points.length - 1][0]]);
    this.start = Math.min(...times);
    this.end = Math.max(...times);
    this.markers = this.tracks.map((t) => L.circleMarker([0, 0], { radius: 8, color: t.colour, fillOpacity: 0.9 })
      .bindTooltip(t.label, { permanent: true, direction: "right" }));
    this.scrub.addEventListener("input", () => this.show(this.timeAt(Number(this.scrub.value))));
    this.button.addEventListener("click", () => (this.timer ? this.pause() : this.play()));
    element.dataset.ready = this.tracks.length ? "true" : "empty";
    if (this.tracks.length) this.show(this.start);
  }

  timeAt(value) {
    return this.start + (this.end - this.start) * (value / 1000);
  }

  show(time) {
    this.time = time;
    this.output.value = new Date(time).toLocaleString();
    this.element.dataset.time = String(Math.round(time));
    this.tracks.forEach((track, n) => {
      const fix = positionAt(track.points, time);
      if (fix) this.markers[n].setLatLng([fix[2], fix[1]]).addTo(this.map);
      else this.markers[n].remove();
    });
  }

  seek(fraction) {
    this.scrub.value = String(Math.round(fraction * 1000));
    this.show(this.timeAt(Number(this.scrub.value)));
  }

  play() {
    if (!this.tracks.length) return;
    if (Number(this.scrub.value) >= 1000) this.seek(0);
    this.button.setAttribute("aria-pressed", "true");
    let last = performance.now();
    this.timer = window.setInterval(() => {
      const now = performance.now();
      const time = Math.min(this.end, this.time + (now - last) * SPEED);
      last = now;
      this.scrub.value = String(Math.round(((time - this.start) / Math.max(1, this.end - this.start)) * 1000));
      this.show(time);
      if (time >= this.end) this.pause();
    }, 100);
  }

  pause() {
    window.clearInterval(this.timer);
    this.timer = null;
    this.button.setAttribute("aria-pressed", "false");
  }
}
