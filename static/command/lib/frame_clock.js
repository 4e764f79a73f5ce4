// One animation frame for every canvas layer of a map (units, officers): a layer asks to be drawn,
// and the next frame draws each layer that asked, once. The frame's whole draw time is kept, so the
// console's budget (16 ms a frame, `manage.py bench fanout`) is measured for the layers together,
// not added up from each layer's own worst draw.

export class FrameClock {
  constructor() {
    this.dirty = new Set();
    this.frame = null;
    this.frameTimes = [];   // the last frames' draw times in ms, every layer drawn in them together
  }

  request(layer) {
    this.dirty.add(layer);
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.run());
  }

  run() {
    this.frame = null;
    const started = performance.now();
    const layers = [...this.dirty];
    this.dirty.clear();
    for (const layer of layers) layer.draw();
    this.frameTimes.push(performance.now() - started);
    if (this.frameTimes.length > 1000) this.frameTimes.shift();
  }
}
