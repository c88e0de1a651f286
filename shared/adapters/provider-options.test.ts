import { isAppError } from '../core/app-error';
import { checkProviderOptions } from './provider-options';

const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? { code: error.code, status: error.httpStatus, target: error.target } : error;
  }
  return undefined;
};

describe('provider options', () => {
  it('accepts Google permanentDeletes as a boolean and passes other keys through', () => {
    expect(refusal(() => checkProviderOptions('google', { permanentDeletes: true, calendarId: 'x' }))).toBeUndefined();
    expect(refusal(() => checkProviderOptions('google', {}))).toBeUndefined();
    expect(refusal(() => checkProviderOptions('google', undefined))).toBeUndefined();
  });

  it('refuses a bad value with a 400 naming the field', () => {
    expect(refusal(() => checkProviderOptions('google', { permanentDeletes: 'yes' }))).toEqual({
      code: 'bad_request',
      status: 400,
      target: 'providerOptions.permanentDeletes',
    });
  });

  it('leaves providers without checked options alone', () => {
    expect(refusal(() => checkProviderOptions('github', { permanentDeletes: 'yes' }))).toBeUndefined();
  });
});
