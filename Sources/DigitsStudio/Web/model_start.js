// ---------- Start ----------

Insights.reload();
LiveTraining.check();
