process.env.BEFORE_AFTER_MODE = 'before';
