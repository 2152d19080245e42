/** Input arguments that accept an array have a maximum size of 250 (https://shopify.dev/docs/api/usage/limits). */
import { GraphQLError } from 'graphql';

export const MAX_INPUT_ARRAY = 250;

/** @example throw inputArrayTooLarge(300, 250, ['tagsAdd', 'tags']); */
export function inputArrayTooLarge(size: number, max: number, path: string[]): GraphQLError {
  return new GraphQLError(`The input array size of ${size} is greater than the maximum allowed of ${max}.`, {
    extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED', path },
  });
}

