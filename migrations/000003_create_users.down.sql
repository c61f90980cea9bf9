DROP TABLE login_throttles;
DROP TABLE users;
