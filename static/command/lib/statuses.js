// The statuses the pages group by, as dispatch/models.py defines them (OPEN_INCIDENT_STATUSES,
// ACTIVE_ASSIGNMENT_STATUSES).

export const OPEN_INCIDENT = Object.freeze(["received", "waiting", "dispatched", "on_scene"]);
export const ACTIVE_ASSIGNMENT = Object.freeze(["assigned", "acknowledged", "en_route", "on_scene"]);
