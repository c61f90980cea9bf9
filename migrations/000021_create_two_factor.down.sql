DROP TABLE user_oidc_links;
DROP TABLE user_recovery_codes;
DROP TABLE user_totp;
