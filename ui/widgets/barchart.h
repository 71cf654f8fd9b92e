#pragma once

#include <QColor>
#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

/**
 * A small horizontal bar chart of labelled counts (statuses, ratings, age buckets): a title, then
 * one row per bar with its label, the bar and the value. Painted directly so that labels are never
 * cut and the layout stays crisp at any size.
 */
class BarChart : public QWidget
{
    Q_OBJECT

public:
    explicit BarChart(const QString &title, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const { return m_title; }
    /// Replaces the bars, top to bottom.
    void setBars(const QList<QPair<QString, qint64>> &bars, const QColor &color);
    /// The same with a colour per bar.
    void setBars(const QList<QPair<QString, qint64>> &bars, const QList<QColor> &colors);
    /// Shown instead of bars when there are none.
    void setEmptyText(const QString &text);

    QList<qint64> values() const;
    QStringList labels() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int rowHeight() const;

    QString m_title;
    QString m_emptyText;
    QList<QPair<QString, qint64>> m_bars;
    QList<QColor> m_colors;
};
