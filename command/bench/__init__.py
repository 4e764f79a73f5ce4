"""The benchmarks behind `manage.py bench`: routing, basemap, ingest, dispatch and fan-out, each with
its baseline measured in the same run (`world` builds the throwaway world they run in)."""
