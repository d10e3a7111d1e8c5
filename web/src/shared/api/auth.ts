import {
  authAcceptInvite, authGetMe, authLogin, authLogout, authSettings, authUpdateMe, tenantsCreate,
  type CreateTenantDto, type LoginDto, type UpdateMeDto,
} from '@opsflow/plugin-sdk';

export type LoginInput = LoginDto;
export type ProfileChange = UpdateMeDto;
export type SignUpInput = CreateTenantDto;

/** Sign-in, the signed-in user and self-service sign-up, through the generated client. */
export const authApi = {
  me: async () => (await authGetMe()).data,
  login: async (body: LoginInput) => (await authLogin({ body })).data,
  logout: async (): Promise<void> => {
    await authLogout();
  },
  updateMe: async (body: ProfileChange) => (await authUpdateMe({ body })).data,
  acceptInvite: async (token: string, password: string) => (await authAcceptInvite({ body: { token, password } })).data,
  publicSettings: async () => (await authSettings()).data,
  signUp: async (body: SignUpInput) => (await tenantsCreate({ body })).data,
};
