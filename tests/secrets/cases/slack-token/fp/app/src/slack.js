const isBotToken = (t) => t.startsWith('xoxb-');
const isAppToken = (t) => t.startsWith('xapp-');
