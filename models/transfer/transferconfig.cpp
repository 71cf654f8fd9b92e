#include "transfer/transferconfig.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *s)
{
    return QCoreApplication::translate("StageRef", s);
}
} // namespace

bool StageRef::isWave() const
{
    return stage == u"suppressions"_s || stage == u"wave"_s;
}

QString StageRef::title() const
{
    if (stage == u"backup"_s)
        return tr("Backup");
    if (stage == u"setup"_s)
        return tr("Initial setup");
    if (stage == u"suppressions"_s)
        return tr("Wave 0: suppressions");
    return tr("Wave %1").arg(wave);
}

QString StageRef::id() const
{
    if (isWave())
        return u"wave-%1"_s.arg(wave);
    return stage;
}

std::optional<StageRef> StageRef::fromId(QStringView id)
{
    if (id == u"backup" || id == u"setup")
        return StageRef{id.toString(), 0};
    if (id == u"suppressions")
        return StageRef{u"suppressions"_s, 0};
    QStringView number = id;
    if (number.startsWith(u"wave-"))
        number = number.mid(5);
    bool ok = false;
    const int n = number.toInt(&ok);
    if (!ok || n < 0)
        return std::nullopt;
    return n == 0 ? StageRef{u"suppressions"_s, 0} : StageRef{u"wave"_s, n};
}

int TransferConfig::lastWave() const
{
    int last = 1;
    for (const WavePlan &w : waves)
        last = std::max(last, w.number);
    return last;
}

QList<StageRef> TransferConfig::stages() const
{
    QList<StageRef> out{{u"backup"_s, 0}, {u"setup"_s, 0}, {u"suppressions"_s, 0}};
    for (int n = 1; n <= lastWave(); ++n)
        out.append({u"wave"_s, n});
    return out;
}
