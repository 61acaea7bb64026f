# What others see in the chat list and the command menu: neutral on purpose.
bot-name = Советы о здоровье
bot-description = Короткие советы о здоровье и гигиене.
bot-short-description = Советы о здоровье и гигиене.
cmd-start = Начать
cmd-menu = Главное меню
cmd-language = Выбрать язык
cmd-help = Что умеет этот бот
# When one person sends too much too fast (the rest is not read).
limit-toast = Слишком много нажатий подряд. Подождите немного.
limit-slow-down = Сообщений пришло очень много подряд — последние бот не прочитал. Подождите минуту и напишите снова. Если вам угрожает опасность, звоните 102 (милиция) или 112.
