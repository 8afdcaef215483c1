process.env.BEFORE_AFTER_MODE = 'after-canary';
