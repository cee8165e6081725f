import { describe } from '../domain/mobjects.js';
import type { Handler } from './context.js';

/** Field metadata of one object; an unknown objectName is 20110. */
export const describeMObject: Handler<'describeMObject'> = async (params, ctx) => ({
  metadata: describe(params.objectName, ctx.schema),
});
