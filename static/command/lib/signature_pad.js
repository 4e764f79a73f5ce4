// A signature pad: a canvas a party signs on with a finger, a stylus or a mouse (pointer events), its
// ink read back as a PNG data URL (the settlement API checks there is ink on it). Clear starts over.

export class SignaturePad {
  constructor(canvas) {
    Object.assign(this, { canvas, context: canvas.getContext("2d"), drawing: false, inked: false });
    this.context.lineWidth = 3;
    this.context.lineCap = "round";
    this.context.strokeStyle = "#111";
    canvas.style.touchAction = "none";  // a stroke must not scroll the page
    canvas.addEventListener("pointerdown", (event) => this.start(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    for (const name of ["pointerup", "pointerleave", "pointercancel"]) {
      canvas.addEventListener(name, () => { this.drawing = false; });
    }
  }

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (this.canvas.width / box.width),
            (event.clientY - box.top) * (this.canvas.height / box.height)];
  }

  start(event) {
    this.drawing = true;
    this.context.beginPath();
    this.context.moveTo(...this.point(event));
  }

  move(event) {
    if (!this.drawing) return;
    this.context.lineTo(...this.point(event));
    this.context.stroke();
    this.inked = true;
  }

  clear() {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  // The signature as the API takes it; "" when nothing was drawn.
  dataUrl() {
    return this.inked ? this.canvas.toDataURL("image/png") : "";
  }
}
