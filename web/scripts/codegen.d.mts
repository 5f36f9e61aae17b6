import type { DocumentNode } from 'graphql';

export declare const SCHEMA_FILE: string;
export declare const SOURCE_DIR: string;
export declare const OUTPUT_FILE: string;
export declare function findOperationFiles(dir?: string): string[];
export declare function checkOperationFile(file: string, document: DocumentNode): void;
export declare function generate(): Promise<string>;
