"""The GraphQL edge: schema, endpoint, context, limits, and the queries, mutations and types
of each concern. It parses, calls the twin and knowledge layers, and shapes the answer."""
