// The platform's queue display (templates/services/queue_display.html).
import { startQueueBoard } from "../lib/queue_board.js";

export const queueBoard = startQueueBoard(document.getElementById("queue-board"));
