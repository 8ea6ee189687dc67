/**
 * Extension points of the Kubernetes Security backend plugin.
 *
 * @packageDocumentation
 */
export * from './clusters';
export * from './extensions';
