#pragma once

#include "plan/ganttchart.h"

#include <QWidget>

#include <optional>

/** Shows a timeline as a Gantt chart (painted by the models' GanttChart, like the plan PDF). */
class GanttWidget : public QWidget
{
    Q_OBJECT

public:
    explicit GanttWidget(QWidget *parent = nullptr);

    void setTimeline(const Timeline &timeline);
    void setSelectedStage(int row);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

Q_SIGNALS:
    /// The user clicked a stage's row (index into the timeline's stages).
    void stageClicked(int row);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRectF chartRect() const;

    std::optional<GanttChart> m_chart;
    int m_selected = -1;
};
