#pragma once

#include "assessment/asset.h"
#include "assessment/inventory.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QJsonArray>

struct Platform;

struct Risk
{
    enum Severity { Info, Warning, Critical };
    QString id;        ///< stable key, e.g. "duplicates"
    Severity severity = Warning;
    QString title;     ///< short, translated
    QString reason;    ///< why: the figures behind it, translated
    QString action;    ///< what to do, translated

    static QString severityKey(Severity s);
    static QString severityName(Severity s);
};

/**
 * The risks an assessment shows, each with its reason: derived from the inventory, the assets
 * entered by hand and (when chosen) the intended target's limits. Most severe first.
 */
class RiskAssessment
{
    Q_DECLARE_TR_FUNCTIONS(RiskAssessment)

public:
    static QList<Risk> evaluate(const Inventory &inventory, const QMap<AssetKind, int> &assetCounts,
                                const Platform *target);
    static QJsonArray toJson(const QList<Risk> &risks);
};
