# What others see in the chat list and the command menu: neutral on purpose.
bot-name = Советы о здоровье
bot-description = Короткие советы о здоровье и гигиене и полезная информация.
bot-short-description = Советы о здоровье и гигиене.
cmd-start = Начать
cmd-menu = Главное меню
cmd-language = Выбрать язык
cmd-help = Что умеет этот бот
