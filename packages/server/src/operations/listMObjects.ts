import { MOBJECT_NAMES } from '../domain/mobjects.js';
import type { Handler } from './context.js';

/** The object names describeMObject knows (Marketo's sample lists the first four; Program is ours too). */
export const listMObjects: Handler<'listMObjects'> = async () => ({ objects: [...MOBJECT_NAMES] });
