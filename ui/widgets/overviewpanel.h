#pragma once

#include "assessment/inventory.h"

#include <QDateTime>
#include <QWidget>

class BarChart;
class QLabel;
class QTreeWidget;

/** The assessment at a glance: contacts by status, duplicates, invalid addresses, the files read. */
class OverviewPanel : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPanel(QWidget *parent = nullptr);
    void setInventory(const Inventory *inventory, const QDateTime &assessedAt);

private:
    QLabel *m_headline;
    QLabel *m_figures;
    BarChart *m_statusChart;
    QTreeWidget *m_sources;
};

/** Consent evidence coverage and engagement (member rating, last change). */
class EngagementPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EngagementPanel(QWidget *parent = nullptr);
    void setInventory(const Inventory *inventory);

private:
    QLabel *m_consent;
    BarChart *m_ratingChart;
    BarChart *m_lastChangedChart;
};
