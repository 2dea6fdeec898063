import type { CommandLine } from '../command-line.ts';
import type { Connection } from '../connect.ts';

/** Opens the data (the running stack, or the folder itself) for as long as `use` runs. */
export type Connector = <T>(use: (conn: Connection) => Promise<T>) => Promise<T>;

/** A command runs with what was typed and a way to the data; it answers an exit code. */
export type Command = (line: CommandLine, connected: Connector) => Promise<number>;
