// Starts telegram-test-api 4.2.1 on 127.0.0.1, patched so python-telegram-bot 22.8 can talk
// to it (see the comments on each fix). Usage: node emulator.js <port>
// Prints "READY <port>" on stdout once it listens; stops on SIGTERM / SIGINT / closed stdin.
'use strict';

const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2] || 9000);

// Bot API methods the emulator does not know; PTB calls them at start-up. Answer `true`.
const ACCEPTED_METHODS = [
  'setMyCommands', 'deleteMyCommands', 'setMyDescription', 'setMyShortDescription',
  'setChatMenuButton', 'setMyName', 'sendChatAction', 'leaveChat',
];

// Fix: sendMessage answers with `date` in milliseconds; PTB wants unix seconds.
const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function patchedAddBotMessage(rawMessage, botToken) {
  const message = addBotMessage.call(this, rawMessage, botToken);
  message.date = Math.floor(message.date / 1000);
  message.from = { id: 666, is_bot: true, first_name: 'Test bot', username: 'TestNameBot' };
  return message;
};

// Fix: a button press lacks `chat_instance` (PTB then drops the callback). Like Telegram, the
// pressed message also carries its current text and keyboard. Updates stored with `raw` (our
// /sendRawUpdate route) are passed through as they are (edited messages, channel posts...).
const formatUpdate = TelegramServer.formatUpdate;
function makeFormatter(server) {
  return function patchedFormatUpdate(update) {
    if (update.raw) {
      return { update_id: update.updateId, ...update.raw };
    }
    const formatted = formatUpdate.call(TelegramServer, update);
    const query = formatted.callback_query;
    if (query) {
      query.chat_instance = query.chat_instance || String(query.from && query.from.id);
      const stored = server.storage.botMessages.find(
        (m) => String(m.messageId) === String(query.message && query.message.message_id),
      );
      if (stored) {
        query.message = {
          ...query.message,
          text: stored.message.text,
          reply_markup: stored.message.reply_markup,
        };
      }
    }
    return formatted;
  };
}

function ok(res, result) {
  res.status(200).json({ ok: true, result });
}

// Fix: sendPhoto / sendDocument are unknown (HTTP 500). PTB uploads the file as
// multipart/form-data, which the emulator's JSON and form parsers leave unread: read the parts
// here, store the message with its caption as text and the file's name and size, and answer
// with a Message that carries `photo` or `document`, as Telegram does.
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseMultipart(body, contentType) {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
  const fields = {};
  const files = {};
  if (!match) {
    return { fields, files };
  }
  const boundary = Buffer.from(`--${match[1] || match[2]}`);
  let start = body.indexOf(boundary);
  while (start !== -1) {
    const next = body.indexOf(boundary, start + boundary.length);
    if (next === -1) {
      break;
    }
    const part = body.subarray(start + boundary.length + 2, next - 2); // CRLF around parts
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = (/name="([^"]*)"/i.exec(head) || [])[1];
      const filename = (/filename="([^"]*)"/i.exec(head) || [])[1];
      if (name && filename !== undefined) {
        files[name] = { filename, size: content.length, head: content.subarray(0, 8) };
      } else if (name) {
        fields[name] = content.toString('utf8');
      }
    }
    start = next;
  }
  return { fields, files };
}

function fileRoute(server, kind) {
  return (req, res) => {
    const finish = (fields, files) => {
      const file = files[kind] || {};
      const raw = { ...fields, text: fields.caption || '' };
      const info = { file_name: file.filename || String(fields[kind] || ''), file_size: file.size || 0 };
      raw[kind] = info;
      const message = server.addBotMessage(raw, req.params.token);
      const fileId = `${kind}-${message.message_id}`;
      if (kind === 'photo') {
        message.photo = [{ file_id: fileId, file_unique_id: fileId, width: 800, height: 960, file_size: info.file_size }];
      } else {
        message.document = { file_id: fileId, file_unique_id: fileId, file_name: info.file_name, file_size: info.file_size };
      }
      delete message.text;
      ok(res, message);
    };
    if (/multipart\/form-data/i.test(req.headers['content-type'] || '')) {
      readBody(req).then((body) => {
        const { fields, files } = parseMultipart(body, req.headers['content-type']);
        finish(fields, files);
      }, (error) => res.status(500).json({ ok: false, description: String(error) }));
    } else {
      finish(req.body || {}, {});
    }
  };
}

function main() {
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  TelegramServer.formatUpdate = makeFormatter(server);
  const app = server.webServer;
  const before = app._router.stack.length;

  // Fix: getMe lacks `is_bot` (PTB's initialize() raises TypeError).
  app.all('/bot:token/getMe', (req, res) => ok(res, {
    id: 666, is_bot: true, first_name: 'Test bot', username: 'TestNameBot',
    can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false,
  }));
  // Fix: editMessageText / editMessageReplyMarkup answer `result: null` (PTB raises).
  app.all('/bot:token/editMessageText', (req, res) => {
    server.editMessageText(req.body);
    ok(res, true);
  });
  app.all('/bot:token/editMessageReplyMarkup', (req, res) => {
    const body = TelegramServer.normalizeMessage(req.body);
    const stored = server.storage.botMessages.find((m) => (
      String(m.messageId) === String(body.message_id)
      && String(m.message.chat_id) === String(body.chat_id)));
    if (stored) {
      stored.message = { ...stored.message, reply_markup: body.reply_markup };
    }
    ok(res, true);
  });
  app.all('/bot:token/answerCallbackQuery', (req, res) => ok(res, true));
  app.all('/bot:token/sendPhoto', fileRoute(server, 'photo'));
  app.all('/bot:token/sendDocument', fileRoute(server, 'document'));
  // Fix: unknown methods answer HTTP 500 (PTB raises NetworkError).
  for (const method of ACCEPTED_METHODS) {
    app.all(`/bot:token/${method}`, (req, res) => ok(res, true));
  }
  // Client side: any update as Telegram would send it (edited_message, channel_post, ...).
  app.post('/sendRawUpdate', (req, res) => {
    const { botToken, update } = req.body;
    server.addUserUpdate({ ...server.getCommonFields(botToken), raw: update })
      .then(() => { server.messageId += 1; ok(res, null); })
      .catch((error) => res.status(500).json({ ok: false, description: String(error) }));
  });
  // Client side: how many messages a bot has sent (benchmarks wait on it).
  app.post('/botMessageCount', (req, res) => {
    const token = req.body.token;
    ok(res, server.storage.botMessages.filter((m) => m.botToken === token).length);
  });

  // Our routes must come before the built-in ones: move the new layers ahead of the first
  // route layer (the middlewares stay first).
  const stack = app._router.stack;
  const added = stack.splice(before);
  const firstRoute = stack.findIndex((layer) => layer.route);
  stack.splice(firstRoute === -1 ? stack.length : firstRoute, 0, ...added);

  server.start().then(() => {
    process.stdout.write(`READY ${port}\n`);
  }, (error) => {
    process.stderr.write(`emulator failed to start: ${error}\n`);
    process.exit(1);
  });

  const stop = () => {
    server.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main();
