"""The demo city: central Shanghai's space (`city`, `places`, the built geodata files), its staffing
(`staffing`) and the seeding of all of it with this week's rota and the demo logins (`seed`)."""
