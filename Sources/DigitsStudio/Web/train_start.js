// ---------- Start ----------

RecipeForm.load();
TrainJob.check();
Versions.reload();
Connection.onReconnect(() => { Versions.reload(); RecipeForm.refreshSampleCount(); });
