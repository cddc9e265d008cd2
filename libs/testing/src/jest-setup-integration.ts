// Real servers on a two-core machine: give each integration test room.
jest.setTimeout(120_000);
