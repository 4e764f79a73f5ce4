// The services desk page (templates/command/desk.html).
import { startDesk } from "../lib/desk.js";

export const desk = startDesk(document);
