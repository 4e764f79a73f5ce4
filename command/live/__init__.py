"""The live picture the console and the tablet work from (DESIGN §4), one idea a module:
`scope` (who may watch what), `picture` (unit positions coalesced into `units.moved`) and
`snapshots` (what a client loads on (re)connect before applying newer events).

Everything here is synchronous and reads the database or Redis: consumers call it through
`database_sync_to_async`."""
