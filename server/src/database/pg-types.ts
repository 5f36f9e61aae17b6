import pg from 'pg';

/**
 * Result parsing shared by both databases (the embedded one speaks the same wire protocol through `pg`).
 * `date` stays a "YYYY-MM-DD" string: pg's default turns it into a local-midnight Date, which shifts days.
 * `int8` (counts) becomes a number: our counts stay far below 2^53. `numeric` (money) stays a string.
 */
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
