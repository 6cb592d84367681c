CREATE CONSTRAINT break_glass_access_id_unique IF NOT EXISTS FOR (n:BreakGlassAccess) REQUIRE n.id IS UNIQUE
