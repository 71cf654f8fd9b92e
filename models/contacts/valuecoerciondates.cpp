// Dates and birthdays (see valuecoercion.h).

#include "contacts/valuecoercion.h"
#include "contacts/valuecoercion_p.h"
#include "core/isodate.h"

#include <QDateTime>
#include <QList>
#include <QRegularExpression>

#include <utility>

using namespace Qt::StringLiterals;
using ValueCoercion::Detail::failure;
using ValueCoercion::Detail::tr;
using DateOrder = CoercionOptions::DateOrder;

namespace {

struct Moment
{
    QDate date;
    QTime time;                // invalid: a date alone
    std::optional<int> offset; // seconds east of UTC; nullopt: written without a zone
};

QString notADateHint()
{
    return tr("Dates are read as YYYY-MM-DD, with an optional time and zone, or as MM/DD/YYYY or "
              "DD/MM/YYYY as the field declares.");
}

QString orderHint()
{
    return tr("Declare the field's date format (MM/DD/YYYY or DD/MM/YYYY) as the source platform "
              "shows it; dates are not guessed from their values.");
}

// [T| ]H:MM[:SS[.fraction]][ AM|PM][ zone], or nothing.
Result<Moment> readTime(Moment m, QStringView rest, const QString &original)
{
    if (rest.isEmpty())
        return m;
    static const QRegularExpression re(
        u"^(?:T|\\s+)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?"
        "(?:\\s*([AaPp][Mm]))?\\s*(Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?$"_s);
    const QRegularExpressionMatch t = re.match(rest.toString());
    if (!t.hasMatch())
        return failure(tr("date '%1' is not a date in a known form.").arg(original),
                       notADateHint());
    int hour = t.capturedView(1).toInt();
    const int minute = t.capturedView(2).toInt();
    const int second = t.capturedView(3).toInt();
    const int ms = t.captured(4).leftJustified(3, u'0').left(3).toInt();
    if (const QString ampm = t.captured(5).toUpper(); !ampm.isEmpty()) {
        if (hour < 1 || hour > 12)
            return failure(
                tr("date '%1' has an hour that is not on a 12-hour clock.").arg(original));
        hour = hour % 12 + (ampm == u"PM" ? 12 : 0);
    }
    m.time = QTime(hour, minute, second, ms);
    if (!m.time.isValid())
        return failure(tr("date '%1' has a time that does not exist.").arg(original));
    if (const QString zone = t.captured(6); !zone.isEmpty()) {
        if (zone == u"Z" || zone == u"UTC" || zone == u"GMT") {
            m.offset = 0;
        } else {
            const QString digits = zone.mid(1).remove(u':');
            const int hours = digits.left(2).toInt();
            const int minutes = digits.mid(2).toInt();
            if (hours > 14 || minutes > 59)
                return failure(
                    tr("date '%1' has a time zone offset that does not exist.").arg(original));
            m.offset = (zone.front() == u'-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        }
    }
    return m;
}

Result<Moment> readMoment(const QString &original, DateOrder order)
{
    const QString s = ValueCoercion::Detail::asciiDigits(original);
    static const QRegularExpression yearLast(u"^([0-9]{1,2})([-/.])([0-9]{1,2})\\2([0-9]+)"_s);
    int year = 0;
    int month = 0;
    int day = 0;
    qsizetype end = 0;
    if (!ValueCoercion::Detail::yearFirstDate(s, &year, &month, &day, &end)) {
        const auto m = yearLast.match(s);
        if (!m.hasMatch())
            return failure(tr("date '%1' is not a date in a known form.").arg(original),
                           notADateHint());
        if (m.capturedLength(4) == 2)
            return failure(tr("date '%1' has a two-digit year.").arg(original),
                           tr("Write the year with four digits; the century is not guessed."));
        if (m.capturedLength(4) != 4)
            return failure(tr("date '%1' is not a date in a known form.").arg(original),
                           notADateHint());
        if (order == DateOrder::Undeclared)
            return failure(tr("date '%1' could be month/day or day/month.").arg(original),
                           orderHint());
        const int a = m.capturedView(1).toInt();
        const int b = m.capturedView(3).toInt();
        month = order == DateOrder::MonthFirst ? a : b;
        day = order == DateOrder::MonthFirst ? b : a;
        year = m.capturedView(4).toInt();
        end = m.capturedEnd(0);
    }
    Moment moment;
    moment.date = QDate(year, month, day);
    if (!moment.date.isValid() || year < 1)
        return failure(tr("date '%1' is not a day of the calendar.").arg(original));
    return readTime(moment, QStringView(s).sliced(end), original);
}

// A local time in a zone as UTC; fails where a clock change skips or repeats that time.
Result<QDateTime> toUtc(const Moment &m, const QTimeZone &zone, const QString &original)
{
    const QDateTime asUtc(m.date, m.time, QTimeZone::utc());
    if (m.offset)
        return asUtc.addSecs(-*m.offset);
    if (!zone.isValid())
        return failure(tr("date '%1' has a time but no time zone.").arg(original),
                       tr("Declare the time zone the source writes its times in."));
    // The offsets in force around that time; each that maps back onto itself is a reading.
    QList<int> offsets;
    for (const qint64 shift : {-86400, 0, 86400}) {
        const int o = zone.offsetFromUtc(asUtc.addSecs(shift));
        if (!offsets.contains(o))
            offsets << o;
    }
    QList<QDateTime> readings;
    for (const int o : std::as_const(offsets)) {
        const QDateTime utc = asUtc.addSecs(-o);
        if (zone.offsetFromUtc(utc) == o)
            readings << utc;
    }
    if (readings.isEmpty())
        return failure(tr("date '%1' is a time the clocks skip in %2.")
                           .arg(original, QString::fromUtf8(zone.id())));
    if (readings.size() > 1)
        return failure(tr("date '%1' is a time that happens twice in %2, when the clocks go back.")
                           .arg(original, QString::fromUtf8(zone.id())));
    return readings.front();
}

QString twoDigits(int n)
{
    return QStringLiteral("%1").arg(n, 2, 10, QChar(u'0'));
}

} // namespace

namespace ValueCoercion {

bool Detail::yearFirstDate(QStringView s, int *year, int *month, int *day, qsizetype *end)
{
    const auto isDigit = [&s](qsizetype i) { return i < s.size() && s[i] >= u'0' && s[i] <= u'9'; };
    const auto value = [&s](qsizetype from, qsizetype to) {
        int n = 0;
        for (qsizetype i = from; i < to; ++i)
            n = n * 10 + (s[i].unicode() - u'0');
        return n;
    };
    if (!isDigit(0) || !isDigit(1) || !isDigit(2) || !isDigit(3) || s.size() < 5)
        return false;
    const QChar separator = s[4];
    if (separator != u'-' && separator != u'/' && separator != u'.')
        return false;
    // Each part is the whole run of digits there: a third digit would neither be the separator
    // nor satisfy the look-ahead, whichever length the expression tried.
    qsizetype i = 5;
    while (isDigit(i))
        ++i;
    const qsizetype monthEnd = i;
    if (monthEnd - 5 < 1 || monthEnd - 5 > 2 || i >= s.size() || s[i] != separator)
        return false;
    i = monthEnd + 1;
    while (isDigit(i))
        ++i;
    if (i - (monthEnd + 1) < 1 || i - (monthEnd + 1) > 2)
        return false;
    *year = value(0, 4);
    *month = value(5, monthEnd);
    *day = value(monthEnd + 1, i);
    *end = i;
    return true;
}

QString Detail::isoDate(int year, int month, int day)
{
    const QDate date(year, month, day);
    char text[10];
    return IsoDate::write(text, date) ? QString::fromLatin1(text, 10) : date.toString(Qt::ISODate);
}

std::optional<DateOrder> dateOrderFromFormat(QStringView dateFormat)
{
    const QString f = dateFormat.trimmed().toString().toUpper();
    if (f.startsWith(u"MM/DD") || f.startsWith(u"MM-DD") || f.startsWith(u"MM.DD"))
        return DateOrder::MonthFirst;
    if (f.startsWith(u"DD/MM") || f.startsWith(u"DD-MM") || f.startsWith(u"DD.MM"))
        return DateOrder::DayFirst;
    return std::nullopt;
}

Result<Coerced> toDate(const QString &value, const CoercionOptions &options)
{
    const QString original = value.trimmed();
    if (original.isEmpty())
        return Coerced{};
    const Result<Moment> m = readMoment(original, options.dateOrder);
    if (!m)
        return m.error();
    const QString day = Detail::isoDate(m->date.year(), m->date.month(), m->date.day());
    if (options.dateOutput == CoercionOptions::DateOutput::Date)
        return Coerced{day, {}};
    if (!m->time.isValid()) // a calendar date: the start of that day, so it reads the same in UTC
        return Coerced{day + u"T00:00:00Z"_s, {}};
    const Result<QDateTime> utc = toUtc(m.value(), options.naiveTimeZone, original);
    if (!utc)
        return utc.error();
    // Written by hand: Qt 6.4 writes "+00:00" for a QDateTime in the UTC zone.
    const QString format
        = utc->time().msec() ? u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s : u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s;
    return Coerced{utc->toString(format), {}};
}

/*
 * Birthdays without a year are written as "--MM-DD" unless the caller chooses otherwise. That is
 * the truncated form of ISO 8601:2000 and XML Schema's gMonthDay: it states month and day and no
 * year, sorts by date, and cannot be mistaken for a real date. A placeholder year would end up in
 * age segments and "born before" filters as if it were true, so it is only written when the
 * caller asks for it because the target has nothing but full dates (Brevo's date attributes,
 * esp-apis 2.5); 1904 is a leap year, so 29 February survives, and no subscriber was born then.
 */
Result<Coerced> toBirthday(const QString &value, const CoercionOptions &options)
{
    const QString original = value.trimmed();
    if (original.isEmpty())
        return Coerced{};
    const QString s = Detail::asciiDigits(original);
    static const QRegularExpression iso(u"^--([0-9]{2})-?([0-9]{2})$"_s);
    static const QRegularExpression monthDay(u"^([0-9]{1,2})([-/.])([0-9]{1,2})$"_s);
    int month = 0;
    int day = 0;
    if (const auto m = iso.match(s); m.hasMatch()) {
        month = m.capturedView(1).toInt();
        day = m.capturedView(2).toInt();
    } else if (const auto m = monthDay.match(s); m.hasMatch()) {
        if (options.dateOrder == DateOrder::Undeclared)
            return failure(tr("birthday '%1' could be month/day or day/month.").arg(original),
                           tr("Declare the field's birthday format (MM/DD or DD/MM) as the source "
                              "platform shows it."));
        const int a = m.capturedView(1).toInt();
        const int b = m.capturedView(3).toInt();
        month = options.dateOrder == DateOrder::MonthFirst ? a : b;
        day = options.dateOrder == DateOrder::MonthFirst ? b : a;
    } else {
        // A full date: the year is known, so it is kept.
        static const QRegularExpression fullDate(u"^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]"_s);
        if (!fullDate.match(s).hasMatch())
            return failure(
                tr("birthday '%1' is not a month and day.").arg(original),
                tr("Birthdays are read as MM/DD or DD/MM as the field declares, as --MM-DD, "
                   "or as a full date."));
        const Result<Moment> full = readMoment(original, options.dateOrder);
        if (!full)
            return full.error();
        const QDate d = full->date;
        return Coerced{d.toString(Qt::ISODate),
                       {{u"year"_s, QString::number(d.year())},
                        {u"month"_s, twoDigits(d.month())},
                        {u"day"_s, twoDigits(d.day())}}};
    }
    if (!QDate(kPlaceholderYear, month, day).isValid())
        return failure(tr("birthday '%1' is not a date.").arg(original));

    const QMap<QString, QString> parts{{u"month"_s, twoDigits(month)}, {u"day"_s, twoDigits(day)}};
    const QString md = twoDigits(month) + u'-' + twoDigits(day);
    switch (options.birthdayPolicy) {
    case CoercionOptions::BirthdayPolicy::IsoWithoutYear:
        return Coerced{u"--"_s + md, parts};
    case CoercionOptions::BirthdayPolicy::MonthDayText:
        return Coerced{md, parts};
    case CoercionOptions::BirthdayPolicy::PlaceholderYear:
        return Coerced{QString::number(kPlaceholderYear) + u'-' + md, parts};
    case CoercionOptions::BirthdayPolicy::Reject:
        break;
    }
    return failure(
        tr("birthday '%1' has no year, and the target field needs a full date.").arg(original),
        tr("Choose a placeholder year for birthdays, or map the field to a text attribute."));
}

} // namespace ValueCoercion
